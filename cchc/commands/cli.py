"""The command line: python build.py [build|serve|new|check|publish|report] (README.md, Commands).

Thin on purpose: parse arguments, call the package, print problems compiler style, choose
the exit code (0 ok, 1 problems in content or config, 2 usage).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cchc.build.builder import BuildOptions, Builder
from cchc.commands.console import print_late, print_left_out, print_problems


def _stream_utf8() -> None:
    """Windows consoles default to a legacy code page; Vietnamese must print, not crash."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build the administrative-reform (CCHC) section.")
    p.add_argument("--site", type=Path, default=Path("."), help="folder holding site.yaml (default: here)")
    sub = p.add_subparsers(dest="command")

    def site_arg(sp):
        sp.add_argument("--site", type=Path, default=argparse.SUPPRESS, help="folder holding site.yaml")

    b = sub.add_parser("build", help="build the whole section into output/")
    site_arg(b)
    build_args(b)
    c = sub.add_parser("check", help="validate everything without writing")
    site_arg(c)
    c.add_argument("--strict", action="store_true", help="warnings count as errors")
    c.add_argument("--drafts", action="store_true")
    c.add_argument("--future", action="store_true")
    s = sub.add_parser("serve", help="build, serve on http://127.0.0.1:8000/ and rebuild on every save")
    site_arg(s)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--poll", action="store_true", help="poll for changes (network folders, virtual machines)")
    s.add_argument("--drafts", action="store_true")
    s.add_argument("--future", action="store_true")
    s.add_argument("--out", type=Path, help="output folder (default: output/)")
    n = sub.add_parser("new", help="write a ready-to-edit article or document")
    site_arg(n)
    n.add_argument("kind", choices=["article", "document"])
    n.add_argument("title", help='the article\'s title, or the document\'s number ("61/2018/NĐ-CP")')
    n.add_argument("--category", help="category key from site.yaml")
    n.add_argument("--date", help="YYYY-MM-DD (default: today)")
    n.add_argument("--type", help='document type, e.g. "Nghị định"')
    pub = sub.add_parser("publish", help="build strictly, then upload the changes to a target of site.yaml")
    site_arg(pub)
    pub.add_argument("target", nargs="?", help="a name under publish: in site.yaml (default: the first)")
    pub.add_argument("--dry-run", action="store_true", help="print the plan, send nothing")
    pub.add_argument("--force", action="store_true", help="overwrite files changed on the server")
    pub.add_argument("--allow-deletes", type=int, metavar="N", help="allow up to N deletions")
    pub.add_argument("--quiet", action="store_true")
    r = sub.add_parser("report", help="publication statistics for the Office's CCHC reports")
    site_arg(r)
    r.add_argument("--year", type=int)
    r.add_argument("--quarter", type=int)
    r.add_argument("--from", dest="date_from")
    r.add_argument("--to", dest="date_to")
    r.add_argument("--format", default="text", help="text, md, csv or html")
    r.add_argument("--output", "-o", type=Path, help="write to this file instead of the screen")
    return p


def build_args(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--out", type=Path, help="output folder (default: output/)")
    sp.add_argument("--drafts", action="store_true", help="include drafts")
    sp.add_argument("--future", action="store_true", help="include articles dated in the future")
    sp.add_argument("--strict", action="store_true", help="warnings count as errors")
    sp.add_argument("--base-url", help="override base_url of site.yaml")
    sp.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per CPU)")
    sp.add_argument("--quiet", action="store_true", help="print problems only")
    sp.add_argument("--for-disk", action="store_true", help="links end in index.html (open from disk)")
    sp.add_argument("--no-cache", action="store_true", help="ignore the .cache/ folder")


def cmd_build(args) -> int:
    opts = BuildOptions(out_dir=args.out, drafts=args.drafts, future=args.future, strict=args.strict,
                        base_url=args.base_url, jobs=args.jobs, quiet=args.quiet, for_disk=args.for_disk,
                        cache=not args.no_cache)
    result = Builder(args.site, opts).build()
    print_problems(result.problems)
    if result.failed(args.strict):
        n = len(result.problems.errors) + (len(result.problems.warnings) if args.strict else 0)
        print(f"Build failed: {n} problem(s) to fix; output/ was left as it was.", file=sys.stderr)
        return 1
    if not args.quiet:
        st = result.stats
        print(f"Built {result.pages} pages in {result.seconds:.2f} s: {len(st.written)} written, "
              f"{st.unchanged} unchanged, {len(st.removed)} removed"
              + (f"; {len(result.problems.warnings)} warning(s)" if result.problems.warnings else "") + ".")
    return 0


def cmd_check(args) -> int:
    opts = BuildOptions(drafts=args.drafts, future=args.future, strict=args.strict, write=False)
    result = Builder(args.site, opts).build()
    print_problems(result.problems)
    print_left_out(result)
    late = print_late(result)
    errors, warnings = len(result.problems.errors), len(result.problems.warnings)
    if result.site is not None:
        s = result.site
        print(f"Checked {len(s.articles)} articles, {len(s.documents)} documents, {len(s.pages)} pages: "
              f"{errors} error(s), {warnings} warning(s)"
              + (f"; {late} item(s) posted after their deadline" if late else "") + ".")
    return 1 if result.failed(args.strict) else 0


def cmd_new(args) -> int:
    from cchc.commands.new import new_article, new_document
    if args.kind == "article":
        return new_article(args.site, args.title, category=args.category, date=args.date)
    return new_document(args.site, args.title, type_name=args.type, date=args.date)


def cmd_serve(args) -> int:
    from cchc.commands.serve import serve
    return serve(args.site, host=args.host, port=args.port, poll=args.poll, drafts=args.drafts,
                 future=args.future, out_dir=args.out)


def cmd_publish(args) -> int:
    from cchc.core.config import load_settings
    from cchc.commands.publish import publish
    settings, problems = load_settings(args.site)
    if settings is None:
        print_problems(problems)
        return 1
    if not settings.publish:
        print("site.yaml: error: no publish targets (add a 'publish:' section)", file=sys.stderr)
        return 1
    target = settings.target(args.target) if args.target else settings.publish[0]
    if target is None:
        names = ", ".join(t.name for t in settings.publish)
        print(f"site.yaml: error: no publish target named '{args.target}' (known: {names})", file=sys.stderr)
        return 1
    builder = Builder(args.site, BuildOptions(strict=True, quiet=args.quiet))
    result = builder.build()
    print_problems(result.problems)
    if result.failed(strict=True):
        print("Publish stopped before sending anything: fix the problems above (publishing builds with --strict).",
              file=sys.stderr)
        return 1
    return publish(result.settings, target, builder.out_dir, dry_run=args.dry_run, force=args.force,
                   allow_deletes=args.allow_deletes, quiet=args.quiet)


def cmd_report(args) -> int:
    from cchc.commands.report import run_report
    return run_report(args)


COMMANDS = {"build", "check", "serve", "new", "publish", "report"}


def main(argv: list[str] | None = None) -> int:
    _stream_utf8()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not COMMANDS & set(argv) and not {"-h", "--help"} & set(argv):
        # `python build.py [--site DIR] [build options]` = `python build.py [--site DIR] build [options]`
        at = 0
        while at < len(argv) and (argv[at] == "--site" or argv[at].startswith("--site=")):
            at += 2 if argv[at] == "--site" else 1
        argv.insert(at, "build")
    args = parser().parse_args(argv)
    args.site = Path(args.site)
    command = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "serve": cmd_serve,
               "publish": cmd_publish, "report": cmd_report}[args.command]
    try:
        return command(args)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
