"""The command line: python build.py [build|serve|new|check|publish|report] (README.md, Commands).

Thin on purpose: parse arguments, call the package, print problems compiler style, choose
the exit code (0 ok, 1 problems in content or config, 2 usage).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cchc.build.builder import CACHE_DIR, Builder
from cchc.build.result import BuildOptions
from cchc.commands.console import print_late, print_left_out, print_problems
from cchc.core.messages import LANGUAGES, Decimal, _, gettext, set_language
from cchc.core.problems import ERROR, Problem


def _stream_utf8() -> None:
    """Windows consoles default to a legacy code page; Vietnamese must print, not crash."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def parser() -> argparse.ArgumentParser:
    """The command line, its help in the current language (set before this is called)."""
    p = argparse.ArgumentParser(prog="build.py", description=str(_("Build the administrative-reform (CCHC) section.")))
    p.add_argument("--site", type=Path, default=Path("."), help=str(_("folder holding site.yaml (default: here)")))
    p.add_argument("--lang", choices=LANGUAGES, help=str(_("language of the messages: vi (default) or en; "
                                                            "also CCHC_LANG=en")))
    sub = p.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")

    def site_arg(sp):
        sp.add_argument("--site", type=Path, default=argparse.SUPPRESS, help=str(_("folder holding site.yaml")))

    b = sub.add_parser("build", help=str(_("build the whole section into output/")))
    site_arg(b)
    build_args(b)
    c = sub.add_parser("check", help=str(_("validate everything without writing")))
    site_arg(c)
    c.add_argument("--strict", action="store_true", help=str(_("warnings count as errors")))
    c.add_argument("--drafts", action="store_true", help=str(_("include drafts")))
    c.add_argument("--future", action="store_true", help=str(_("include articles dated in the future")))
    c.add_argument("--compliance", action="store_true",
                   help=str(_("also print the legal duties of the section and whether each is met (exit 1 if one is not)")))
    c.add_argument("--on", metavar="YYYY-MM-DD", type=_day, help=str(_("with --compliance: the texts in force on this day")))
    s = sub.add_parser("serve", help=str(_("build, serve on http://127.0.0.1:8000/ and rebuild on every save")))
    site_arg(s)
    s.add_argument("--host", default="127.0.0.1", help=str(_("address to serve on (default: 127.0.0.1, this computer only)")))
    s.add_argument("--port", type=int, default=8000, help=str(_("port (default: 8000)")))
    s.add_argument("--poll", action="store_true", help=str(_("poll for changes (network folders, virtual machines)")))
    s.add_argument("--as-published", action="store_true",
                   help=str(_("leave drafts and scheduled articles out, as build and publish do")))
    s.add_argument("--drafts", "--future", action="store_true", help=argparse.SUPPRESS)   # the default now
    s.add_argument("--out", type=Path, help=str(_("preview folder (default: .cache/preview/)")))
    n = sub.add_parser("new", help=str(_("write a ready-to-edit article or document")))
    site_arg(n)
    n.add_argument("kind", choices=["article", "document"], help=str(_("article or document")))
    n.add_argument("title", nargs="?", help=str(_('the article\'s title, or the document\'s number ("61/2018/NĐ-CP")')))
    n.add_argument("--from", dest="source", type=Path, metavar="FILE",
                   help=str(_("an article from a Word file (.docx; .doc and .odt through LibreOffice)")))
    n.add_argument("--category", help=str(_("category key from site.yaml")))
    n.add_argument("--date", help=str(_("YYYY-MM-DD (default: today)")))
    n.add_argument("--type", help=str(_('document type, e.g. "Nghị định"')))
    pub = sub.add_parser("publish", help=str(_("build strictly, then upload the changes to a target of site.yaml")))
    site_arg(pub)
    pub.add_argument("target", nargs="?", help=str(_("a name under publish: in site.yaml (default: the first)")))
    pub.add_argument("--dry-run", action="store_true", help=str(_("print the plan, send nothing")))
    pub.add_argument("--force", action="store_true", help=str(_("overwrite files changed on the server")))
    pub.add_argument("--allow-deletes", type=int, metavar="N", help=str(_("allow up to N deletions")))
    pub.add_argument("--quiet", action="store_true", help=str(_("print problems only")))
    pub.add_argument("--due", action="store_true", help=str(_("publish only if a scheduled article (or a document's "
                                                                "date) became due since the last publish")))
    r = sub.add_parser("report", help=str(_("publication statistics for the Office's CCHC reports")))
    site_arg(r)
    r.add_argument("--year", type=int, help=str(_("year of the report, e.g. 2026")))
    r.add_argument("--quarter", type=int, help=str(_("quarter 1 to 4 (with --year)")))
    r.add_argument("--from", dest="date_from", help=str(_("first day of the period (DD/MM/YYYY or YYYY-MM-DD)")))
    r.add_argument("--to", dest="date_to", help=str(_("last day of the period")))
    r.add_argument("--plan", metavar="SLUG", help=str(_("the progress of the plan content/plans/SLUG.yaml, "
                                                         "with its evidence")))
    r.add_argument("--format", default="text", help=str(_("text, md, csv or html; with --plan also docx or xlsx")))
    r.add_argument("--output", "-o", type=Path, help=str(_("write to this file instead of the screen")))
    return p


def build_args(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--out", type=Path, help=str(_("output folder (default: output/)")))
    sp.add_argument("--drafts", action="store_true", help=str(_("include drafts")))
    sp.add_argument("--future", action="store_true", help=str(_("include articles dated in the future")))
    sp.add_argument("--strict", action="store_true", help=str(_("warnings count as errors")))
    sp.add_argument("--base-url", help=str(_("override base_url of site.yaml")))
    sp.add_argument("--jobs", type=int, default=0, help=str(_("worker processes (default: one per CPU)")))
    sp.add_argument("--quiet", action="store_true", help=str(_("print problems only")))
    sp.add_argument("--for-disk", action="store_true", help=str(_("links end in index.html (open from disk)")))
    sp.add_argument("--no-cache", action="store_true", help=str(_("ignore the .cache/ folder")))


def cmd_build(args) -> int:
    opts = BuildOptions(out_dir=args.out, drafts=args.drafts, future=args.future, strict=args.strict,
                        base_url=args.base_url, jobs=args.jobs, quiet=args.quiet, for_disk=args.for_disk,
                        cache=not args.no_cache)
    result = Builder(args.site, opts).build()
    print_problems(result.problems)
    if result.failed(args.strict):
        n = len(result.problems.errors) + (len(result.problems.warnings) if args.strict else 0)
        print(_("Build failed: {count} problem(s) to fix; output/ was left as it was.", count=n), file=sys.stderr)
        return 1
    if not args.quiet:
        st = result.stats
        seconds = Decimal(result.seconds)
        counts = dict(pages=result.pages, seconds=seconds, written=len(st.written),
                      unchanged=st.unchanged, removed=len(st.removed), warnings=len(result.problems.warnings))
        print(_("Built {pages} pages in {seconds} s: {written} written, {unchanged} unchanged, {removed} removed; "
                "{warnings} warning(s).", **counts) if result.problems.warnings else
              _("Built {pages} pages in {seconds} s: {written} written, {unchanged} unchanged, {removed} removed.",
                **counts))
    return 0


def cmd_check(args) -> int:
    opts = BuildOptions(drafts=args.drafts, future=args.future, strict=args.strict, write=False)
    result = Builder(args.site, opts).build()
    facts = None
    if args.compliance and result.site is not None:
        from cchc.commands.compliance import compliance_facts
        facts = compliance_facts(result.site, Path(args.site), result.problems)
    print_problems(result.problems)
    print_left_out(result)
    late = print_late(result)
    errors, warnings = len(result.problems.errors), len(result.problems.warnings)
    if result.site is not None:
        s = result.site
        counts = dict(articles=len(s.articles), documents=len(s.documents), pages=len(s.pages), errors=errors,
                      warnings=warnings, late=late)
        print(_("Checked {articles} articles, {documents} documents, {pages} pages: {errors} error(s), "
                "{warnings} warning(s); {late} item(s) posted after their deadline.", **counts) if late else
              _("Checked {articles} articles, {documents} documents, {pages} pages: {errors} error(s), "
                "{warnings} warning(s).", **counts))
        if s.procedures:
            print(_("Checked {procedures} administrative procedures.", procedures=len(s.procedures.items)))
    code = 1 if result.failed(args.strict) else 0
    if facts is not None:
        from cchc.commands.compliance import print_checklist
        from cchc.model.compliance import evaluate
        on = args.on or dt.datetime.now(result.settings.timezone).date()
        print()
        code = max(code, print_checklist(evaluate(facts, on), on))
    return code


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(str(_('"{text}" is not a date (write YYYY-MM-DD)', text=text))) from None


def cmd_new(args) -> int:
    from cchc.commands.new import new_article, new_document
    if args.kind == "article":
        if (args.title is None) == (args.source is None):
            print(_("error: give the article's title, or --from FILE.docx, not both"), file=sys.stderr)
            return 2
        return new_article(args.site, args.title, category=args.category, date=args.date, source=args.source)
    if args.title is None or args.source is not None:
        print(_('error: give the document\'s number, e.g. new document "61/2018/NĐ-CP" --type "Nghị định"'),
              file=sys.stderr)
        return 2
    return new_document(args.site, args.title, type_name=args.type, date=args.date)


def cmd_serve(args) -> int:
    from cchc.commands.serve import serve
    return serve(args.site, host=args.host, port=args.port, poll=args.poll, drafts=not args.as_published,
                 future=not args.as_published, out_dir=args.out)


def cmd_publish(args) -> int:
    from cchc.core.config import load_settings
    from cchc.commands.publish import publish
    settings, problems = load_settings(args.site)
    if settings is None:
        print_problems(problems)
        return 1
    if not settings.publish:
        print(Problem("site.yaml", None, ERROR, _("no publish targets"), _("add a 'publish:' section")), file=sys.stderr)
        return 1
    target = settings.target(args.target) if args.target else settings.publish[0]
    if target is None:
        print(Problem("site.yaml", None, ERROR, _("no publish target named '{name}'", name=args.target),
                      _("known: {names}", names=[t.name for t in settings.publish])), file=sys.stderr)
        return 1
    now = dt.datetime.now(settings.timezone)      # one moment for the build and the manifest
    if args.due:
        due = _something_due(args, settings, target, now)
        if not due:
            return 0 if due is False else 1
    # A for_disk copy is built apart, so output/ stays the section as the portal serves it.
    out_dir = args.site / CACHE_DIR / "for-disk" if target.for_disk else None
    builder = Builder(args.site, BuildOptions(strict=True, quiet=args.quiet, now=now, for_disk=target.for_disk,
                                              out_dir=out_dir))
    result = builder.build()
    print_problems(result.problems)
    if result.failed(strict=True):
        print(_("Publish stopped before sending anything: fix the problems above (publishing builds with --strict)."),
              file=sys.stderr)
        return 1
    return publish(result.settings, target, builder.out_dir, dry_run=args.dry_run, force=args.force,
                   allow_deletes=args.allow_deletes, quiet=args.quiet, built=now)


def _something_due(args, settings, target, now: dt.datetime) -> bool | None:
    """publish --due: whether anything became due since the target's last publish (printed);
    None when the target cannot be asked."""
    from cchc.commands.publish.due import RESUME, became_due, last_publish
    from cchc.commands.publish.remote import PublishError
    from cchc.core.content import load_content
    from cchc.core.problems import Problems
    try:
        since = last_publish(settings, target)
    except PublishError as exc:
        print(_("publish {target}: error: {problem}", target=target.name, problem=str(exc)), file=sys.stderr)
        return None
    if since is None:
        print(_("publish {target}: nothing sent: the target was never published to; run "
                "python build.py publish {target} once first", target=target.name), file=sys.stderr)
        return False
    if since == RESUME:
        print(_("publish {target}: the last publish did not finish: publishing now", target=target.name), file=sys.stderr)
        return True
    due = became_due(load_content(settings, Problems()), settings, since, now)
    if not due:
        if not args.quiet:
            print(_("publish {target}: nothing became due since the last publish ({moment}); nothing sent",
                    target=target.name, moment=f"{since.astimezone(settings.timezone):%d/%m/%Y %H:%M}"))
        return False
    for line in due:
        print(_("{what}: due since the last publish", what=line), file=sys.stderr)
    return True


def cmd_report(args) -> int:
    from cchc.commands.report import run_report
    return run_report(args)


COMMANDS = ("build", "check", "serve", "new", "publish", "report")

# argparse's own words ("usage:", "options", its errors) go through gettext; these are the ones
# build.py shows, marked here so the catalogue has them (argparse of Python 3.10 to 3.13).
def N_(text: str) -> str:
    """Marks a text for the catalogue that argparse itself translates (gettext's name)."""
    return text


ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"), N_("ambiguous option: %(option)s could match %(matches)s"),
)


def take_language(argv: list[str]) -> str | None:
    """`--lang en` / `--lang=en` anywhere on the line, removed from argv: read before argparse
    builds its help, so that `--help` and argparse's errors are in that language too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
            del argv[i:i + 2]
            return value
        if arg.startswith("--lang="):
            del argv[i]
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> int:
    _stream_utf8()
    argv = list(sys.argv[1:] if argv is None else argv)
    language = take_language(argv)
    try:
        set_language(language)
    except ValueError:
        print(_("build.py: error: --lang {value}: use vi or en", value=language), file=sys.stderr)
        return 2
    try:
        return run(argv)
    except KeyboardInterrupt:
        print(_("Stopped."), file=sys.stderr)
        return 130
    finally:
        set_language(None)        # --lang holds for this run (tests call main() in-process)


def run(argv: list[str]) -> int:
    argparse._ = gettext          # argparse's words in the chosen language (see ARGPARSE_WORDS)
    if not set(COMMANDS) & set(argv) and not {"-h", "--help"} & set(argv):
        # `python build.py [--site DIR] [build options]` = `python build.py [--site DIR] build [options]`
        at = 0
        while at < len(argv) and (argv[at] == "--site" or argv[at].startswith("--site=")):
            at += 2 if argv[at] == "--site" else 1
        argv.insert(at, "build")
    args = parser().parse_args(argv)
    args.site = Path(args.site)
    command = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "serve": cmd_serve,
               "publish": cmd_publish, "report": cmd_report}[args.command]
    return command(args)
