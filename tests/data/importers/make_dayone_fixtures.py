"""Make the Day One fixtures from Day One's documented JSON export format (Day One itself
runs only on Apple platforms, Android and the web, so it can't run here).

    uv run python tests/data/importers/make_dayone_fixtures.py

Writes ``dayone/Journal.json`` (a journal's JSON as Day One exports it: ``metadata`` and
``entries``, each with ``uuid``, ``creationDate``/``modifiedDate`` in UTC, ``timeZone``,
``text`` with Day One's Markdown escapes and ``dayone-moment://`` photo links, ``tags``,
``starred``, ``photos``, ``location``, ``weather`` and the device fields) and
``dayone_export.zip`` (that JSON at the top beside a ``photos/`` folder named by md5,
as the "JSON" export of the Day One app is laid out).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHOTO = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")  # a tiny JPEG
PHOTO_MD5 = hashlib.md5(PHOTO).hexdigest()  # Day One names photos by md5

ENTRIES = [
    {
        "uuid": "3F1D2A6E8B7C4D5E9F0A1B2C3D4E5F60",
        "creationDate": "2023-03-04T09:15:00Z",
        "modifiedDate": "2023-03-04T10:02:11Z",
        "timeZone": "Europe/Berlin",
        "creationDevice": "iPhone",
        "creationDeviceType": "iPhone",
        "creationOSName": "iOS",
        "creationOSVersion": "16.3",
        "duration": 0,
        "isAllDay": False,
        "isPinned": False,
        "starred": True,
        "tags": ["Preparation", "intention"],
        "text": "# Before the first session\n\nMy intention: be gentle with myself\\. "
                "Trying not to expect anything\\.\n\n- breathe\n- notice",
        "richText": "{\"contents\":[]}",
        "location": {"localityName": "Berlin", "country": "Germany",
                     "latitude": 52.52, "longitude": 13.40},
        "weather": {"conditionsDescription": "Cloudy", "temperatureCelsius": 6},
    },
    {
        "uuid": "7A8B9C0D1E2F3A4B5C6D7E8F9A0B1C2D",
        "creationDate": "2023-03-05T19:30:00Z",
        "modifiedDate": "2023-03-06T08:00:00Z",
        "timeZone": "America/New_York",
        "starred": False,
        "tags": ["integration"],
        "text": "After the session \U0001F33F\n\n![](dayone-moment://8C2F6E1B0A9D4C3E)\n\n"
                "Colours, and a feeling of *space*\\.",
        "photos": [{"identifier": "8C2F6E1B0A9D4C3E", "md5": PHOTO_MD5, "type": "jpeg",
                    "width": 1, "height": 1, "orderInEntry": 0, "creationDevice": "iPhone",
                    "date": "2023-03-05T19:31:00Z"}],
    },
    {
        "uuid": "0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E",
        "creationDate": "2023-03-10T06:00:00Z",
        "modifiedDate": "2023-03-10T06:00:00Z",
        "timeZone": "Asia/Tokyo",
        "starred": False,
        "text": "A short line, no tags.",
    },
]


def main() -> None:
    doc = {"metadata": {"version": "1.0"}, "entries": ENTRIES}
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    (HERE / "dayone").mkdir(exist_ok=True)
    (HERE / "dayone" / "Journal.json").write_text(text, encoding="utf-8")
    with zipfile.ZipFile(HERE / "dayone_export.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Journal.json", text)
        archive.writestr(f"photos/{PHOTO_MD5}.jpeg", PHOTO)
    print("wrote dayone/Journal.json and dayone_export.zip")


if __name__ == "__main__":
    main()
