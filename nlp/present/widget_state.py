"""Widget values that survive a page language switch (Streamlit 1.40), for the page and the
complaint flow alike."""
import streamlit as st


def kept(key: str, default: object = None) -> str:
    """A widget key whose value survives a page language switch.

    In Streamlit 1.40 a keyed widget whose label changes is a new widget and starts
    again from its default. ``keep`` (its on_change) copies each new value aside; here
    it is put back before the widget is drawn. ``default`` (when not None) is the value
    to start with, for a default that is not the widget's first option.
    """
    state = st.session_state
    if default is not None:
        state.setdefault(f"kept_{key}", default)
    if f"kept_{key}" in state:
        state[key] = state[f"kept_{key}"]
    return key


def keep(key: str) -> None:
    """on_change of a ``kept`` widget: remember its value."""
    st.session_state[f"kept_{key}"] = st.session_state[key]
