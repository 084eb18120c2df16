"""The registry of publish backends: which Remote speaks each protocol a target may name.

A backend module imports remote.py (the Remote it extends); remote.py knows no backend, so the
registry names them by module and the one asked for is imported when a publish opens it (the
SFTP backend imports paramiko, which the other protocols never need). A new protocol is one
line here and its name in config.PROTOCOLS.
"""
from __future__ import annotations

import importlib

from cchc.commands.publish.remote import PublishError, Remote
from cchc.core.config import PROTOCOLS, PublishTarget, Settings
from cchc.core.messages import _

BACKENDS = {
    "dir": ("cchc.commands.publish.folder", "FolderRemote"),
    "ftp": ("cchc.commands.publish.ftp", "FtpRemote"),
    "ftps": ("cchc.commands.publish.ftp", "FtpRemote"),
    "sftp": ("cchc.commands.publish.sftp", "SftpRemote"),
}
assert set(BACKENDS) == set(PROTOCOLS), "every protocol site.yaml accepts has a backend"


def open_remote(settings: Settings, target: PublishTarget) -> Remote:
    """The Remote for a target (not yet connected)."""
    try:
        module, name = BACKENDS[target.protocol]
    except KeyError:
        raise PublishError(_("unknown protocol {protocol} (use {protocols})", protocol=repr(target.protocol),
                             protocols=list(BACKENDS))) from None
    return getattr(importlib.import_module(module), name)(settings, target)
