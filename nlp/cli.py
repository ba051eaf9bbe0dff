"""Command line: ``python -m nlp analyse|context|evaluate|compare|match|batch`` (interface.md)."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, TextIO

from nlp.api import InputError, analyse, context
from nlp.present.cells import csv_cell
from nlp.inputs.readers import ReadError, read_bytes, read_path
from nlp.report import FINDING_FIELDS, Report
from nlp.limits import valid_age

INPUT_HELP = ".txt, .pdf or .docx file, a photo (.jpg, .png) or scan, or - for stdin"

EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE = 0, 2, 64


def _read_input(path: str) -> str:
    if path == "-":
        return read_bytes(sys.stdin.buffer.read(), "stdin.txt")
    return read_path(path)


def _write_reports(reports: List[Report], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump([r.to_dict() for r in reports], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for r in reports:
            out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    else:
        writer = csv.writer(out)
        writer.writerow(["source", "language", *FINDING_FIELDS])
        for r in reports:
            for f in r.findings:
                row = f.to_dict()
                cells = [r.source, r.language, *(row[k] for k in FINDING_FIELDS)]
                writer.writerow([csv_cell(cell) for cell in cells])  # no spreadsheet formulas


def _report_of(path: str, lang: str, age: Optional[int] = None) -> Optional[Report]:
    """Read and analyse one input (``lang`` auto, nl or en); None, after one line on stderr
    naming the input and the reason, when it cannot be read or analysed."""
    try:
        return analyse(_read_input(path), lang=None if lang == "auto" else lang, age=age, source=path)
    except ReadError as e:
        print(f"{path}: {e.message('en')}", file=sys.stderr)
    except InputError as e:
        print(f"{path}: {e}", file=sys.stderr)
    return None


def cmd_analyse(args: argparse.Namespace) -> int:
    """Analyse each input; unreadable inputs are reported on stderr and skipped."""
    found = [_report_of(path, args.lang, args.age) for path in args.paths]
    reports = [report for report in found if report is not None]
    _write_reports(reports, args.format, sys.stdout)
    return EXIT_OK if len(reports) == len(found) else EXIT_UNREADABLE


def cmd_context(args: argparse.Namespace) -> int:
    """Print the ConText qualifiers of PHRASE in SENTENCE."""
    try:
        result = context(args.sentence, args.target, lang=args.lang)
    except InputError as e:
        print(str(e), file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(result))
    return EXIT_OK


def cmd_match(args: argparse.Namespace) -> int:
    """Complaints against the findings of one report (interface.md); exit 2 with one line
    for an unreadable input or a complaint value outside the vocabulary."""
    from nlp.second_opinion.match import MatchError, match

    try:
        with open(args.complaints, encoding="utf-8") as f:
            complaints = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"{args.complaints}: cannot be read as JSON ({e}).", file=sys.stderr)
        return EXIT_UNREADABLE
    report = _report_of(args.report, args.lang, args.age)
    if report is None:
        return EXIT_UNREADABLE
    try:
        result = match(report, complaints)
    except MatchError as e:
        print(f"{args.complaints}: {e}", file=sys.stderr)
        return EXIT_UNREADABLE
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Per-concept P/R/F1, qualifier accuracy and red-flag figures, per language; with
    several gold files given, one compact summary table per language, a row per file."""
    from nlp.evaluation.gold import evaluate, evaluate_each, format_table, gold_files

    given = [Path(p) for p in args.gold]
    paths = (gold_files(args.split, args.lang) if args.split or not given else []) + given
    if not paths:
        print("No gold files found: pass paths to *.jsonl files.", file=sys.stderr)
        return EXIT_USAGE
    if len(given) > 1 or (given and args.split):
        _print_side_by_side(evaluate_each(paths), args)
        return EXIT_OK
    results = evaluate(paths)
    for lang in sorted(results):
        if args.lang and lang != args.lang:
            continue
        print(format_table(results[lang]))
        if args.errors:
            for error in results[lang].errors:
                print(json.dumps(error, ensure_ascii=False))
        print()
    return EXIT_OK


def _print_side_by_side(per_file: Dict[Path, dict], args: argparse.Namespace) -> None:
    """A summary table per language; a row per gold file holding that language."""
    from nlp.evaluation.gold import format_summary

    langs = sorted({lang for results in per_file.values() for lang in results})
    for lang in langs:
        if args.lang and lang != args.lang:
            continue
        rows = [(f"{path.parent.name}/{path.name}", results[lang])
                for path, results in per_file.items() if lang in results]
        print(format_summary(lang, rows))
        if args.errors:
            for name, evaluation in rows:
                for error in evaluation.errors:
                    print(json.dumps({"gold": name, **error}, ensure_ascii=False))
        print()


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare an earlier and a later report: JSON (interface.md) or a Markdown table."""
    from nlp.second_opinion.compare import compare

    reports = []
    for path in (args.old, args.new):
        report = _report_of(path, args.lang)
        if report is None:
            return EXIT_UNREADABLE
        reports.append(report)
    comparison = compare(*reports)
    if args.format == "md":
        from nlp.present.export import comparison_markdown

        sys.stdout.write(comparison_markdown(comparison, lang=reports[1].language))
    else:
        json.dump(comparison.to_list(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return EXIT_OK


def _age(value: str) -> int:
    try:
        age = int(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"age must be a whole number, not {value!r}") from e
    try:
        return valid_age(age)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m nlp", description="Analyse Dutch and English spine MRI reports."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyse", aliases=["analyze"], help="analyse report files")
    p.add_argument("paths", nargs="+", metavar="PATH", help=INPUT_HELP)
    p.add_argument("--lang", choices=["auto", "nl", "en"], default="auto")
    p.add_argument("--age", type=_age, default=None)
    p.add_argument("--format", choices=["json", "jsonl", "csv"], default="json")
    p.set_defaults(func=cmd_analyse)

    p = sub.add_parser("context", help="negation, uncertainty and history of a phrase in a sentence")
    p.add_argument("--lang", choices=["nl", "en"], default="en")
    p.add_argument("--target", required=True, metavar="PHRASE")
    p.add_argument("sentence", metavar="SENTENCE")
    p.set_defaults(func=cmd_context)

    p = sub.add_parser("match", help="do the findings of a report match the complaints?")
    p.add_argument("report", metavar="REPORT", help=INPUT_HELP)
    p.add_argument("--complaints", required=True, metavar="COMPLAINTS.json")
    p.add_argument("--lang", choices=["auto", "nl", "en"], default="auto")
    p.add_argument("--age", type=_age, default=None)
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("evaluate", help="precision, recall and F1 against gold files")
    p.add_argument("gold", nargs="*", metavar="GOLD",
                   help="gold *.jsonl files (default: sample_reports/); several: a summary side by side")
    p.add_argument("--split", choices=["dev", "test"], default=None,
                   help="the own gold split; with GOLD files too, all side by side")
    p.add_argument("--lang", choices=["nl", "en"], default=None)
    p.add_argument("--errors", action="store_true", help="also print every miss and false alarm")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("compare", help="what changed between an earlier and a later report")
    p.add_argument("old", metavar="OLD", help="the earlier report (.txt, .pdf, .docx, a photo or -)")
    p.add_argument("new", metavar="NEW", help="the later report")
    p.add_argument("--lang", choices=["auto", "nl", "en"], default="auto")
    p.add_argument("--format", choices=["json", "md"], default="json")
    p.set_defaults(func=cmd_compare)

    from nlp.evaluation.negex import add_negex_parser

    add_negex_parser(sub)
    try:
        from nlp.batch import add_batch_parser
    except ImportError:  # the batch module is optional until it exists
        pass
    else:
        add_batch_parser(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    return args.func(args)
