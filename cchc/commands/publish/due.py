"""`publish TARGET --due`: publish only when something became due since the last publish, so the
Office can run it every 15 minutes (Windows Task Scheduler, cron) and the section changes at the
moment a scheduled article's date says, in Asia/Ho_Chi_Minh whatever the server's time zone.

"Due" means: a published article (not a draft) whose date lies after the last publish and not
after now, or a document whose effective or expiry day began in that time (its status, computed
on the day of the build, changed). The last publish's moment is the one its manifest records on
the server (`built`: the moment its build was made for, so nothing that became due while it
uploaded is missed); an interrupted publish (its journal is on the server) is always resumed.
All moments are aware datetimes: the machine's own time zone is never consulted.
"""
from __future__ import annotations

import datetime as dt
import json

from cchc.commands.publish.backends import open_remote
from cchc.commands.publish.plan import JOURNAL_NAME, MANIFEST_NAME
from cchc.core.config import PublishTarget, Settings
from cchc.core.content import Content
from cchc.core.messages import _

RESUME = "resume"


def last_publish(settings: Settings, target: PublishTarget) -> dt.datetime | str | None:
    """The moment the last finished publish was built for; RESUME when one was interrupted; None
    when the target has no manifest (never published). Raises PublishError (cannot connect)."""
    remote = open_remote(settings, target)
    try:
        remote.connect()
        if remote.read(JOURNAL_NAME) is not None:
            return RESUME
        data = remote.read(MANIFEST_NAME)
    except remote.errors as exc:
        from cchc.commands.publish.remote import PublishError
        raise PublishError(_("{doing}: {why}", doing=_("reading {file}", file=MANIFEST_NAME), why=remote.explain(exc))) from None
    finally:
        remote.close()
    if data is None:
        return None
    try:
        doc = json.loads(data.decode("utf-8"))
        moment = dt.datetime.fromisoformat(doc.get("built") or doc["published"])
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, RecursionError):
        return RESUME            # a manifest we cannot date: publishing is the safe side (it checks it)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def became_due(content: Content, settings: Settings, since: dt.datetime, now: dt.datetime) -> list:
    """What changes the section between `since` and `now` (exclusive, inclusive), as lines to print."""
    tz = settings.timezone
    found = []
    for a in content.articles:
        if not a.draft and a.date is not None and since < a.date <= now:
            found.append(_("{file}: scheduled for {moment}", file=a.source, moment=f"{a.date.astimezone(tz):%d/%m/%Y %H:%M}"))
    for d in content.documents:
        for key in ("effective", "expires"):
            day = getattr(d, key)
            if d.draft or day is None:
                continue
            midnight = dt.datetime.combine(day.astimezone(tz).date(), dt.time(), tzinfo=tz)
            if since < midnight <= now:
                found.append(_("{file}: {key} {day} (its status changes)", file=d.source, key=key, day=f"{midnight:%d/%m/%Y}"))
    return found
