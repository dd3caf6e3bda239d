"""What the vCard reader makes of properties with no contact field of their own: the label each gets as a line
of the notes ("Birthday: 1975-08-20"), the bookkeeping ones that carry nothing of the person, and the decoding of
Android's and FullContact's encoded properties."""

from __future__ import annotations

# Properties with no field of their own, kept as a line of the notes so nothing is lost.
EXTRA_LABELS = {"NICKNAME": "Nickname", "BDAY": "Birthday", "ANNIVERSARY": "Anniversary", "URL": "Web",
                "IMPP": "Chat", "X-SOCIALPROFILE": "Social profile", "RELATED": "Related",
                "X-ABRELATEDNAMES": "Related", "X-ABDATE": "Date", "GENDER": "Gender", "X-GENDER": "Gender",
                "X-AIM": "AIM", "X-SKYPE": "Skype", "X-JABBER": "Jabber", "X-ICQ": "ICQ", "X-MSN": "MSN",
                "X-YAHOO": "Yahoo", "X-TWITTER": "Twitter", "X-PHONETIC-FIRST-NAME": "Phonetic given name",
                "X-PHONETIC-LAST-NAME": "Phonetic family name", "X-ANDROID-CUSTOM": "Android", "ROLE": "Role",
                "X-SIP": "SIP", "X-MS-IMADDRESS": "Chat", "X-GOOGLE-TALK": "Google Talk", "X-GTALK": "Google Talk",
                "X-GADUGADU": "Gadu-Gadu", "X-QQ": "QQ", "X-GROUPWISE": "GroupWise", "X-MATRIX": "Matrix",
                "X-MS-MANAGER": "Manager", "X-MANAGER": "Manager", "X-EVOLUTION-MANAGER": "Manager",
                "X-KADDRESSBOOK-X-MANAGERSNAME": "Manager", "X-MS-ASSISTANT": "Assistant",
                "X-ASSISTANT": "Assistant", "X-EVOLUTION-ASSISTANT": "Assistant",
                "X-KADDRESSBOOK-X-ASSISTANTSNAME": "Assistant", "X-MS-SPOUSE": "Spouse", "X-SPOUSE": "Spouse",
                "X-EVOLUTION-SPOUSE": "Spouse", "X-KADDRESSBOOK-X-SPOUSENAME": "Spouse",
                "X-ANNIVERSARY": "Anniversary", "X-EVOLUTION-ANNIVERSARY": "Anniversary",
                "X-KADDRESSBOOK-X-ANNIVERSARY": "Anniversary", "X-WAB-WEDDING_ANNIVERSARY": "Anniversary",
                "X-MS-CHILD": "Child", "X-CHILD": "Child", "X-CALLBACK": "Callback",
                "X-KADDRESSBOOK-X-IMADDRESS": "Chat", "X-KADDRESSBOOK-X-PROFESSION": "Profession",
                "X-KADDRESSBOOK-X-OFFICE": "Office", "X-KADDRESSBOOK-X-DEPARTMENT": "Department",
                "X-DEPARTMENT": "Department", "X-MAIDENNAME": "Maiden name", "X-PHONETIC-ORG": "Phonetic organisation",
                "X-PHONETIC-MIDDLE-NAME": "Phonetic middle name",
                "EXPERTISE": "Expertise", "HOBBY": "Hobby", "INTEREST": "Interest", "ORG-DIRECTORY": "Directory",
                "BIRTHPLACE": "Birthplace", "DEATHPLACE": "Place of death", "DEATHDATE": "Date of death",
                "X-EVOLUTION-BLOG-URL": "Blog", "X-EVOLUTION-VIDEO-URL": "Video",
                "AGENT": "Agent", "GEO": "Location", "TZ": "Time zone", "FBURL": "Free/busy",
                "CALURI": "Calendar", "CALADRURI": "Calendar requests", "SOURCE": "Source",
                "X-MS-ANNIVERSARY": "Anniversary", "X-KADDRESSBOOK-X-SPOUSESNAME": "Spouse",
                "X-WAB-SPOUSE_NAME": "Spouse", "X-MS-TEL": "Phone", "X-MESSAGING/XMPP-ALL": "XMPP",
                "X-MESSAGING/TWITTER-ALL": "Twitter", "X-MESSAGING/IRC-ALL": "IRC", "X-MESSAGING/AIM-ALL": "AIM",
                "X-MESSAGING/SKYPE-ALL": "Skype", "X-MESSAGING/ICQ-ALL": "ICQ", "X-MESSAGING/SMS-ALL": "SMS",
                "X-MESSAGING/MSN-ALL": "MSN", "X-MESSAGING/YAHOO-ALL": "Yahoo", "X-MESSAGING/GADU-ALL": "Gadu-Gadu",
                "X-KADDRESSBOOK-BLOGFEED": "Blog", "X-FC-TAGS": "Tags"}
# Google's system groups, not tags anyone chose.
SYSTEM_CATEGORIES = {"mycontacts", "starred"}
# Bookkeeping properties of other address books that carry nothing of the person.
QUIET = {"VERSION", "PRODID", "REV", "UID", "X-ABUID", "X-ABSHOWAS", "SORT-STRING", "KIND",
         "X-ABLABEL", "X-ABADR", "X-OURSOCIETY-ID", "MAILER", "X-IMAGETYPE",
         "X-IMAGEHASH", "X-SHAREDPHOTODISPLAYPREF", "X-ADDRESSBOOKSERVER-KIND", "X-ABLABELS", "PRODUCT",
         "CLIENTPIDMAP", "X-EVOLUTION-FILE-AS", "XML",
         "X-MS-OL-DEFAULT-POSTAL-ADDRESS", "X-MS-OL-DESIGN", "MEMBER", "X-ANDROID-GROUP",
         "X-ADDRESSBOOKSERVER-MEMBER", "X-ABPHOTO-FACEINFO", "X-EVOLUTION-LIST",
         "X-EVOLUTION-LIST-SHOW-ADDRESSES", "X-EVOLUTION-BLOG-URL-UNUSED", "X-MOZILLA-PROPERTY",
         "X-RADICALE-NAME", "PID", "X-WAB-GENDER"}



def fc_encoded_line(name: str, value: str) -> str:
    """A property whose name is hex-encoded (`X-FCENCODED-<hex of "X-FC-RelatedNames:Spouse">`) as a line of the
    notes: "Spouse: value"."""
    try:
        decoded = bytes.fromhex(name[len("X-FCENCODED-"):]).decode("utf-8")
    except ValueError:
        decoded = name
    label = decoded.rpartition(":")[2] or decoded
    if label == "CustomTYPE":
        label = "Other"
    return f"{label}: {value}" if value else ""


def android_custom_line(value: str) -> str:
    """Android's X-ANDROID-CUSTOM (events, relations, nicknames... with their type or custom label) as a line of
    the notes, e.g. "Allotment renewal: 2030-07-15"."""
    kind, _semicolon, rest = value[len("vnd.android.cursor.item/"):].partition(";")
    fields = rest.split(";")
    data = fields[0].strip() if fields else ""
    type_code = fields[1].strip() if len(fields) > 1 else ""
    label = fields[2].strip() if len(fields) > 2 else ""
    if not data:
        data = next((p.strip() for p in fields if p.strip()), "")
    if not data:
        return ""
    names = _ANDROID_TYPES.get(kind, {})
    word = label if type_code == "0" and label else names.get(type_code, "") or label
    if not word:
        word = kind.replace("contact_", "").replace("_", " ").capitalize()
    return f"{word[:1].upper()}{word[1:]}: {data}"


_ANDROID_TYPES: dict[str, dict[str, str]] = {
    "contact_event": {"1": "Anniversary", "2": "Other date", "3": "Birthday"},
    "relation": {"1": "Assistant", "2": "Brother", "3": "Child", "4": "Domestic partner", "5": "Father",
                "6": "Friend", "7": "Manager", "8": "Mother", "9": "Parent", "10": "Partner", "11": "Referred by",
                "12": "Relative", "13": "Sister", "14": "Spouse"},
    "nickname": {"1": "Nickname", "2": "Other name", "3": "Maiden name", "4": "Short name", "5": "Initials"},
    "website": {"1": "Homepage", "2": "Blog", "3": "Profile", "4": "Home page", "5": "Work page", "6": "FTP",
                "7": "Website"},
}
