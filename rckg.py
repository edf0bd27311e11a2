"""The `rckg` command line: add sources, build, validate, query, export and serve the graph.

It only parses arguments and prints; the work is done by `graph` (and, for serving, `api`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

# Only light modules at the top: every query worker the server spawns imports this module
# again, so rdflib, pyshacl, networkx and the exporters are imported where they are used.
from graph.config import ConfigError, settings
from graph.errors import SeedError, StoreError

if TYPE_CHECKING:
    from graph.builder.pipeline import BuildReport
    from graph.export import ExportFormat
    from graph.export.network import ExportFilter
    from graph.store.embedded import QueryResult
    from graph.views.projection import Projection


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _print_report(report: BuildReport) -> None:
    print(f"sources:   {report.sources}")
    print(f"facts:     {report.facts}")
    print(f"entities:  {report.entities}")
    print(f"triples:   {report.triples} in {len(report.graphs)} named graphs")
    for name, count in sorted(report.graphs.items()):
        print(f"  {count:>7}  {name}")
    for sheet, count in sorted(report.drafts.items()):
        print(f"drafts:    {count} in {sheet} wait for review (not in the graph)")
    print(f"sentences: {report.covered}/{report.sentences} covered")
    for stem, sentence in report.uncovered:
        print(f"  uncovered in {stem} (offset {sentence.start}): {sentence.text}")
    if report.converted or report.reused:
        print(f"rebuilt:   {len(report.converted)} of {report.sources} sources "
              f"({', '.join(report.converted) or 'none'}); {len(report.reused)} unchanged")
    if report.version:
        print(f"version:   {report.version}")


def cmd_build(args: argparse.Namespace) -> int:
    from graph.builder import pipeline as building

    if args.if_changed and building.is_current(settings()):
        print("the graph is up to date with seeds/ and ontology/; not rebuilt")
        return 0
    report = building.build(settings(), _progress, full=args.full)
    _print_report(report)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from graph.builder import pipeline as building

    report = building.prepare(settings(), _progress)[1]
    _print_report(report)
    print("valid" if not report.uncovered else "valid, but some sentences are not covered")
    return 0 if not report.uncovered else 1


def cmd_query(args: argparse.Namespace) -> int:
    from graph.store import results
    from graph.store.backend import open_store
    from graph.store.sparql_guard import QueryRefused, inspect

    try:
        sparql = Path(args.file).read_text(encoding="utf-8") if args.file else args.sparql
    except OSError as exc:
        print(f"rckg query: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    if not sparql:
        raise SystemExit("rckg query: give a SPARQL query or --file")
    store = open_store(settings())
    try:
        if inspect(sparql).form in ("CONSTRUCT", "DESCRIBE"):
            sys.stdout.buffer.write(store.construct(sparql, "text/turtle"))
            return 0
        result = store.query(sparql)
    except (SyntaxError, QueryRefused) as exc:
        print(f"rckg query: {exc}", file=sys.stderr)
        return 2
    writers: dict[str, Callable[[QueryResult], str]] = {
        "table": results.to_table,
        "json": partial(results.to_json, indent=1),
        "csv": results.to_csv,
    }
    sys.stdout.write(writers[args.format](result))
    sys.stdout.write("\n" if args.format != "csv" else "")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from graph.export import FORMATS as EXPORTS
    from graph.export import rdf as rdf_export
    from graph.export.csv import write_csv
    from graph.export.network import ExportFilter
    from graph.store.backend import open_store
    from graph.views import projection

    store = open_store(settings())
    if args.format in rdf_export.MEDIA_TYPES:
        _write(rdf_export.dump(store, args.format), args.output)
        return 0
    view = projection.load(store.query, str(store.info.get("base_iri", "")), store.version)
    relations = frozenset(args.relation) if args.relation else None
    flt = ExportFilter(args.actor, args.depth, relations, args.since, args.until)
    try:
        if args.format == "csv" and args.output:
            nodes, edges = write_csv(view, flt)
            folder = Path(args.output)
            folder.mkdir(parents=True, exist_ok=True)
            _write(nodes, str(folder / "nodes.csv"))
            _write(edges, str(folder / "edges.csv"))
        elif args.output and EXPORTS[args.format].stream is not None:
            _stream(EXPORTS[args.format], view, flt, Path(args.output))
        else:
            _write(EXPORTS[args.format].writer(view, flt), args.output)
    except ValueError as exc:
        print(f"rckg export: {exc}", file=sys.stderr)
        return 2
    return 0


def _stream(spec: ExportFormat, view: Projection, flt: ExportFilter, output: Path) -> None:
    """Write a network export into `output` as it is made (memory flat in the graph's size);
    nothing is left behind if it fails."""
    writing = output.with_name(f".{output.name}.writing")
    assert spec.stream is not None
    try:
        with writing.open("wb") as out:
            spec.stream(view, flt, out)
        writing.replace(output)
    finally:
        writing.unlink(missing_ok=True)
    print(f"wrote {output.stat().st_size} bytes to {output}", file=sys.stderr)


def _write(data: bytes, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data)
        print(f"wrote {len(data)} bytes to {output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def cmd_serve(args: argparse.Namespace) -> int:
    import tempfile

    import uvicorn

    from api.app import create_app
    from graph.store.backend import open_store
    from graph.store.embedded import StoreDirectory, load_file
    from graph.store.remote_http import StoreUnavailable
    from graph.views import projection

    config = settings()
    with tempfile.TemporaryDirectory(prefix="rckg-data-") as scratch:
        if args.data:
            data = Path(args.data)
            if not data.is_file():
                raise StoreError(f"{data}: no such file")
            config = replace(config, store=Path(scratch), remote=None)  # served embedded
            load_file(StoreDirectory(config.store), data,
                      finish=projection.saver(config.base_iri))
            print(f"serving {data} (read-only)", file=sys.stderr)
        else:  # fail early, with a clear message, on a missing or damaged store
            try:
                open_store(config)
            except StoreUnavailable as exc:  # a remote store may come up later: keep trying
                print(f"rckg serve: {exc}; serving 503 until it answers", file=sys.stderr)
        uvicorn.run(create_app(config), host=args.host, port=args.port, log_level=args.log_level)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from graph.sources import drafting
    from graph.sources.drafting import HEADER_KEYS
    from graph.sources.seeds import ENTITIES_FILE, load_entities

    config = settings()
    entities = load_entities(config.seeds / ENTITIES_FILE)
    overrides = {key: getattr(args, key) for key in (*HEADER_KEYS, "slug")}
    try:
        stem, drafted = drafting.add(Path(args.path), config.seeds, entities, overrides)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"rckg add: {args.path}: {exc}", file=sys.stderr)
        return 2
    print(f"added {config.seeds / (stem + '.txt')}")
    print(f"drafts in {config.seeds / (stem + '.facts.yaml')}:")
    for line in drafting.report(drafted):
        print(f"  {line}")
    print(f"review them (check each draft, then remove 'draft: true' or run "
          f"'rckg review {stem} ID'; proposed entities go to entities.yaml), then 'rckg build'")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    sheet = settings().seeds / f"{args.stem}.facts.yaml"
    if not sheet.exists():
        print(f"rckg review: no fact sheet {sheet}", file=sys.stderr)
        return 2
    if args.list:
        if args.ids:
            print("rckg review: --list marks nothing; give either fact ids or --list",
                  file=sys.stderr)
            return 2
        return _review_list(sheet)
    from graph.sources import drafting

    marked = drafting.review(sheet, args.ids or None)
    missing = sorted(set(args.ids or []) - set(marked))
    print(f"marked reviewed: {', '.join(marked) or 'none'}")
    if missing:
        print(f"rckg review: not drafts in {sheet}: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


def _review_list(sheet: Path) -> int:
    from graph.builder import ontology
    from graph.builder.review_list import listing
    from graph.sources.seeds import ENTITIES_FILE, Corpus, load_entities, load_source
    from graph.vocabulary import Terms

    config = settings()
    entities_file = config.seeds / ENTITIES_FILE
    corpus = Corpus(load_entities(entities_file), [load_source(sheet)], entities_file)
    onto = ontology.load(config.ontology, Terms(config.base_iri))
    sys.stdout.write(listing(corpus.sources[0], corpus, onto, config.base_iri))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bench import compare  # the benchmark and its peers load only when asked for

    return compare.main_args(args)


def parser() -> argparse.ArgumentParser:
    from graph.export import FORMATS as EXPORTS
    from graph.export import rdf as rdf_export
    from graph.sources.drafting import HEADER_KEYS

    top = argparse.ArgumentParser(prog="rckg", description="Russia–China relations knowledge graph")
    sub = top.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="seeds → validated graph in the store")
    build.add_argument("--if-changed", action="store_true",
                       help="do nothing if the served graph was built from the same inputs")
    build.add_argument("--full", action="store_true",
                       help="convert and validate every source again, ignoring the build cache")
    build.set_defaults(run=cmd_build)
    sub.add_parser("validate", help="check the seeds without storing").set_defaults(
        run=cmd_validate)
    query = sub.add_parser("query", help="run a SPARQL query on the built graph")
    query.add_argument("sparql", nargs="?", help="the query text")
    query.add_argument("--file", help="read the query from a file")
    query.add_argument("--format", choices=("table", "json", "csv"), default="table")
    query.set_defaults(run=cmd_query)
    export = sub.add_parser("export", help="dump the graph (RDF) or its network (Gephi, picture)")
    export.add_argument("--format", choices=sorted([*rdf_export.MEDIA_TYPES, *EXPORTS]),
                        default="trig")
    export.add_argument("-o", "--output", help="file to write (standard output without); "
                        "for csv a folder that gets nodes.csv and edges.csv")
    export.add_argument("--actor", help="network formats: the ego network of this actor")
    export.add_argument("--depth", type=int, default=1, help="hops around --actor (default 1)")
    export.add_argument("--relation", action="append", help="keep this relation (repeatable)")
    export.add_argument("--since", type=_date, help="keep facts reaching this date")
    export.add_argument("--until", type=_date, help="keep facts starting by this date")
    export.set_defaults(run=cmd_export)
    add = sub.add_parser("add", help="add a source to seeds/ with a drafted fact sheet")
    add.add_argument("path", help="plain text, optionally starting with 'Key: value' lines "
                     "(Title, Subtitle, Author, Publisher, Date, Language, URL) and a blank line")
    for key in (*HEADER_KEYS, "slug"):
        add.add_argument(f"--{key}", help=f"set or override the {key}")
    add.set_defaults(run=cmd_add)
    review = sub.add_parser("review", help="mark drafted facts as reviewed (they enter the graph)")
    review.add_argument("stem", help="the source's file stem in seeds/, e.g. 001_ab12…")
    review.add_argument("ids", nargs="*", help="fact ids (all drafts when none is given)")
    review.add_argument("--list", action="store_true",
                        help="only print the facts (drafts apart) against the text, in text "
                             "order, and the sentences that carry no fact; marks nothing")
    review.set_defaults(run=cmd_review)
    serve = sub.add_parser("serve", help="serve the graph over HTTP (SPARQL, REST)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data", help="serve this RDF file instead of the built graph")
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=cmd_serve)
    bench = sub.add_parser("bench", help="measure rckg side by side with Oxigraph server, "
                           "rdflib-endpoint and a bare FastAPI endpoint on loopback")
    bench.add_argument("--quick", action="store_true",
                       help="sizes 10k and 100k triples, 3 s per phase (default: 10k, 100k, 1M, "
                            "10 s per phase)")
    bench.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    bench.add_argument("--large", action="store_true",
                       help="also 10M triples (not for CI: about an hour and 10+ GiB of disk)")
    bench.add_argument("--sizes", help=argparse.SUPPRESS)  # for tests: smaller runs
    bench.add_argument("--seconds", type=float, help=argparse.SUPPRESS)
    bench.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    bench.set_defaults(run=cmd_bench)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SeedError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"rckg: {len(exc.problems)} problem(s); nothing was stored", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"rckg: {exc}", file=sys.stderr)
        return 1
    except ConfigError as exc:
        print(f"rckg: configuration: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
