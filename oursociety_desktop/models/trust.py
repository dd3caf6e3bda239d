"""Which hubs this hub trusts, and by which key.

Every bundle is signed with its hub's Ed25519 key (models/signing.py), but a signature alone proves only that
*somebody* holding *some* key wrote it. So a hub pins each peer's key:

- On first contact the key is **learned** (`pending`): shown to the organiser as a short fingerprint, twenty digits
  in five groups, to compare with the other hub's organiser by phone or on paper. Nothing from that hub is imported
  yet.
- Once the organiser accepts it (`oursociety hub trust`, `import --trust-new-hub`, or the app's question) the hub is
  **trusted** and its key pinned: its bundles are imported, with the records they relay and their erasures.
- A bundle claiming a known hub but signed by another key is refused (`check_bundle_signer`). A key never changes
  for a hub id (a new key comes with a new id: `hub identity new`); an organiser who knows better can forget a
  hub's key (`distrust_hub`) and accept the new one.

Alongside its signing key each hub publishes an X25519 key in its signed manifests (models/signing.py). A peer's
is taken only from a bundle its signing key signed, and the bundles this hub leaves in an exchange folder are
encrypted to the keys of the hubs it trusts (`recipient_keys`), and to its own.

Since a bundle is imported only from a trusted hub, every record in it was either stamped by that hub or relayed by
it: records stamped by hub X are accepted only when signed by X or relayed by a hub this hub trusts, and an erasure
only from a trusted hub. Peers known before keys were pinned (schema version 9) stay trusted and have their key
pinned by their next bundle.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from sqlmodel import Session, col, select

from oursociety_desktop.i18n import _, ngettext
from oursociety_desktop.models.database import Tx, utc_now_iso
from oursociety_desktop.models.errors import UserError
from oursociety_desktop.models.signing import public_key_of
from oursociety_desktop.models.tables import PeerHub

TRUSTED = "trusted"
PENDING = "pending"
# Bundles signed by different keys have claimed the hub (a hub never changes key under one id): one is forged, so
# the key held is trusted only with the fingerprint its organiser read out (`hub trust HUB --fingerprint`).
CONTESTED = "contested"


class UntrustedHub(UserError):
    """A bundle from a hub this hub has not accepted (yet), with the keys its manifest gave (to learn them)."""

    def __init__(self, message: str, hub_id: str, hub_name: str, fingerprint: str, signing_key: str = "",
                 encryption_key: str = "") -> None:
        super().__init__(message)
        self.hub_id = hub_id
        self.hub_name = hub_name
        self.fingerprint = fingerprint
        self.signing_key = signing_key
        self.encryption_key = encryption_key


class ForgedBundle(UserError):
    """A bundle claiming a hub whose pinned key did not sign it."""


def fingerprint(public_key: str) -> str:
    """A public key's short fingerprint, to compare by phone or on paper: the first 64 bits of its SHA-256, as
    twenty decimal digits in five groups of four ("0412 8831 …"). An empty key (a format 1 bundle) has none."""
    if not public_key:
        return ""
    try:
        raw = base64.b64decode(public_key, validate=True)
    except ValueError:
        return ""
    number = int.from_bytes(hashlib.sha256(raw).digest()[:8], "big") % 10**20
    digits = f"{number:020d}"
    return " ".join(digits[i:i + 4] for i in range(0, 20, 4))


def own_fingerprint(private_key: str) -> str:
    """This hub's fingerprint, from its private key."""
    return fingerprint(public_key_of(private_key)) if private_key else ""


@dataclass
class PeerTrust:
    """What this hub knows of a peer's key."""

    hub_id: str
    name: str
    signing_key: str
    trust: str  # "trusted" | "pending" | "contested" | ""

    @property
    def fingerprint(self) -> str:
        """The pinned (or learned) key's fingerprint."""
        return fingerprint(self.signing_key)

    def to_json(self) -> dict[str, str]:
        """Plain values (`hub peers --json`)."""
        return {"id": self.hub_id, "name": self.name, "fingerprint": self.fingerprint, "trust": self.trust or "none"}


def peer_trust(session: Session, hub_id: str) -> PeerTrust | None:
    """What is known of a hub's key, or None for a hub never met."""
    peer = session.get(PeerHub, hub_id)
    if peer is None:
        return None
    return PeerTrust(peer.id, peer.name, peer.signing_key, peer.trust)


def peer_trusts(session: Session) -> list[PeerTrust]:
    """Every hub met, by name."""
    peers = session.exec(select(PeerHub).order_by(col(PeerHub.name), col(PeerHub.id))).all()
    return [PeerTrust(p.id, p.name, p.signing_key, p.trust) for p in peers]


def check_bundle_signer(session: Session, own_id: str, own_public_key: str, hub_id: str, hub_name: str,
                        signing_key: str, label: str) -> PeerTrust | None:
    """Refuse (ForgedBundle) a bundle claiming this hub or a peer whose pinned key is not the one that signed it.
    Returns what is known of the sender (None: never met)."""
    shown = hub_name[:60]
    if hub_id == own_id:
        if signing_key and signing_key != own_public_key:
            raise ForgedBundle(_("The bundle {label} claims to come from this hub but is signed by another key "
                               "({signing_key}); it is forged and was refused. Nothing was imported.")
                               .format(label=label, signing_key=fingerprint(signing_key)))
        return None
    known = peer_trust(session, hub_id)
    if known is not None and known.signing_key and known.trust == TRUSTED and signing_key != known.signing_key:
        raise ForgedBundle(
            _("The bundle {label} claims to come from hub '{shown}' but is signed by another key "
            "({value}, not {fingerprint}); it was refused as forged. "
            "Nothing was imported.")
            .format(label=label, shown=shown, value=fingerprint(signing_key) or _('unsigned'),
                    fingerprint=known.fingerprint))
    return known


def require_trusted(known: PeerTrust | None, hub_id: str, hub_name: str, signing_key: str, label: str,
                    encryption_key: str = "") -> None:
    """Raise UntrustedHub unless the sender is a trusted hub."""
    if known is not None and known.trust == TRUSTED:
        return
    print_ = fingerprint(signing_key) or "none: an unsigned format 1 bundle"
    raise UntrustedHub(
        _("The bundle {label} comes from hub '{hub_name}' ({hub_id}), which this hub does not trust yet; "
        "its key's fingerprint is {print_}. Compare it with that hub's organiser, then accept the hub "
        "(`oursociety import --trust-new-hub`, or `oursociety hub trust {hub_id}`). Nothing was imported.")
        .format(label=label, hub_name=hub_name[:60], hub_id=hub_id[:40], print_=print_),
        hub_id, hub_name, print_, signing_key, encryption_key)


def learn_key(tx: Tx, hub_id: str, hub_name: str, signing_key: str, encryption_key: str = "") -> PeerTrust:
    """First contact without acceptance (a sync): remember the hub and its keys as pending, trust nothing. A key
    other than the one learned before makes the hub contested: the organiser may have compared the fingerprint of
    the first, and a forger's bundle may have brought the second since."""
    peer = tx.session.get(PeerHub, hub_id)
    if peer is None:
        peer = PeerHub(id=hub_id, name=hub_name, first_seen_at=utc_now_iso(), signing_key=signing_key,
                       trust=PENDING, encryption_key=encryption_key)
    elif peer.trust != TRUSTED and signing_key:  # an unsigned (format 1) file, which anyone can write, changes nothing
        contested = peer.trust == CONTESTED or bool(peer.signing_key and peer.signing_key != signing_key)
        peer.signing_key, peer.name = signing_key, hub_name or peer.name
        peer.trust = CONTESTED if contested else PENDING
        peer.encryption_key = encryption_key
    tx.session.add(peer)
    return PeerTrust(peer.id, peer.name, peer.signing_key, peer.trust)


def accept_hub(tx: Tx, hub_id: str, hub_name: str, signing_key: str, encryption_key: str = "") -> None:
    """The organiser accepts a hub with this key: it is trusted, its key pinned (and its encryption key, from the
    same signed manifest, kept when given)."""
    peer = tx.session.get(PeerHub, hub_id)
    if peer is None:
        peer = PeerHub(id=hub_id, name=hub_name, first_seen_at=utc_now_iso())
    if peer.trust == TRUSTED and peer.signing_key and peer.signing_key != signing_key:
        raise UserError(_("Hub '{name}' is trusted with another key; forget it first "
                        "(`oursociety hub distrust {hub_id}`).").format(name=peer.name[:60], hub_id=hub_id[:40]))
    if peer.signing_key != signing_key:
        peer.encryption_key = ""
    peer.signing_key, peer.trust = signing_key, TRUSTED
    peer.encryption_key = encryption_key or peer.encryption_key
    peer.name = hub_name or peer.name
    tx.session.add(peer)


def pin_on_import(tx: Tx, hub_id: str, signing_key: str, encryption_key: str = "") -> None:
    """A trusted peer known before keys were pinned gets its key pinned by its first signed bundle; a trusted
    peer's encryption key is taken from its bundles (signed by the pinned key: the caller checked)."""
    peer = tx.session.get(PeerHub, hub_id)
    if peer is None or peer.trust != TRUSTED:
        return
    if not peer.signing_key and signing_key:
        peer.signing_key = signing_key
    if encryption_key and peer.signing_key == signing_key:
        peer.encryption_key = encryption_key
    tx.session.add(peer)


def recipient_keys(session: Session, own_encryption_key: str) -> tuple[list[str], list[PeerTrust]]:
    """Whom this hub's bundles in an exchange folder are encrypted to: its own key and the key of every hub it
    trusts; and the trusted hubs whose key it has not learned yet (they cannot read those bundles until their
    next bundle reaches this hub)."""
    keys, missing = [own_encryption_key], []
    for peer in session.exec(select(PeerHub).where(col(PeerHub.trust) == TRUSTED).order_by(col(PeerHub.id))).all():
        if peer.encryption_key:
            keys.append(peer.encryption_key)
        else:
            missing.append(PeerTrust(peer.id, peer.name, peer.signing_key, peer.trust))
    return keys, missing


def find_peer(session: Session, hub: str) -> PeerHub:
    """A peer hub by its id, the start of its id (8 characters at least) or its exact name; UserError otherwise."""
    wanted = hub.strip()
    peers = session.exec(select(PeerHub)).all()
    matches = [p for p in peers if p.id == wanted.lower()] or \
              [p for p in peers if len(wanted) >= 8 and p.id.startswith(wanted.lower())] or \
              [p for p in peers if p.name == wanted]
    if not matches:
        raise UserError(_("No hub '{wanted}' has been met yet; sync or import one of its bundles first.")
                        .format(wanted=wanted[:60]))
    if len(matches) > 1:
        raise UserError(ngettext("'{wanted}' names {count} hub; give the hub's id.",
                                 "'{wanted}' names {count} hubs; give the hub's id.", len(matches))
                        .format(wanted=wanted[:60], count=len(matches)))
    return matches[0]


def trust_hub(tx: Tx, hub: str, expected_fingerprint: str | None = None) -> PeerTrust:
    """Trust a hub met before (its key learned at first contact). With `expected_fingerprint` the key must have it
    (spaces ignored). Raises UserError when there is no key to trust or the fingerprint differs."""
    peer = find_peer(tx.session, hub)
    if not peer.signing_key:
        raise UserError(_("This hub has no key of hub '{name}' yet; import or sync one of its bundles.")
                        .format(name=peer.name[:60]))
    if peer.trust == CONTESTED and expected_fingerprint is None:
        raise UserError(contested_message(peer.name, peer.id, fingerprint(peer.signing_key)))
    if expected_fingerprint is not None and \
            expected_fingerprint.replace(" ", "") != fingerprint(peer.signing_key).replace(" ", ""):
        if peer.trust == CONTESTED:  # the key held is the last file's, which may be the forger's
            raise UserError(_("The key held for hub '{name}' has the fingerprint {signing_key}, not the one given: "
                              "it came from the other claim. Import a bundle of the genuine hub with `oursociety "
                              "import FILE --trust-new-hub`, after `import FILE --dry-run` shows its fingerprint.")
                            .format(name=peer.name[:60], signing_key=fingerprint(peer.signing_key)))
        raise UserError(_("The key of hub '{name}' has the fingerprint {signing_key}, "
                        "not the one given; it was not trusted.")
                        .format(name=peer.name[:60], signing_key=fingerprint(peer.signing_key)))
    peer.trust = TRUSTED
    tx.session.add(peer)
    return PeerTrust(peer.id, peer.name, peer.signing_key, peer.trust)


def contested_message(name: str, hub_id: str, print_: str) -> str:
    """One line: bundles signed by different keys claimed the hub, so it is trusted only by the fingerprint."""
    return _("Bundles signed by different keys claim to be hub '{name}' ({hub_id}): one of them is forged. The key "
             "held now has the fingerprint {fingerprint}; trust it only if the hub's organiser reads out the same: "
             "`oursociety hub trust {hub_id} --fingerprint \"…\"`.").format(name=name[:60], hub_id=hub_id[:40],
                                                                            fingerprint=print_)


def distrust_hub(tx: Tx, hub: str) -> PeerTrust:
    """Stop trusting a hub and forget its key: its bundles are refused until it is accepted again."""
    peer = find_peer(tx.session, hub)
    peer.trust, peer.signing_key, peer.encryption_key = "", "", ""
    tx.session.add(peer)
    return PeerTrust(peer.id, peer.name, peer.signing_key, peer.trust)
