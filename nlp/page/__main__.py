"""``python -m nlp.page [streamlit options]``: serve the page (see nlp/page/serve.py)."""
from nlp.page.serve import main

main()
