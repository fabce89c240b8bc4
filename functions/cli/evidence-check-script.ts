/**
 * `check.py`, put in every evidence bundle: the checks a receiver makes of the bundle without the
 * project, with Python 3's standard library alone (review AUDITOR, 2026-12-07). `sha256sum -c`
 * proves only that each listed file holds its listed bytes: a line dropped from `events.ndjson`
 * and SHA256SUMS written again passed it, as did an hour's manifest removed with its line. The
 * script holds the files against each other (the manifest, the account of each hour, the lines,
 * the queries' rows and provenance), says which hours were pulled with no event and which were
 * not pulled at all, and, given a copy of the lake's objects and digest chain, holds the lines
 * against the objects and the objects against the chain. Given the signing key's public key too, it
 * verifies each digest's signature with `openssl` (Python's standard library has no ECDSA; review
 * AUDIT2), failing closed when openssl is missing or a digest is unsigned, and prints the key's
 * fingerprint; given the head a third party noted, it fails a chain that ends before it; and a
 * user's bundle must hold its user_activity query (review AUDIT3). A bundle by address (an alert
 * of no user) is checked line by line against its address, network or owner, with the patterns the
 * alerts key an address by (ip-network.ts, CLIENT_PATTERNS), written into the script.
 */
import { CLIENT_PATTERNS } from '../core/alerts/ip-network.ts';
import { ALERT_ADDRESS_HOURS, ALERT_USER_DAYS } from '../core/evidence/evidence-alert.ts';
import { ADDRESS_PATTERNS, JSON_ESCAPE } from '../core/evidence/evidence-hours.ts';

/** The script's name in the bundle. */
export const CHECK_FILE = 'check.py';

/** The script, as written into the bundle (`String.raw`: its backslashes are Python's). */
export const CHECK_SCRIPT = String.raw`#!/usr/bin/env python3
"""Checks this evidence bundle (domo-activity-lake/evidence@1) from its own files.

Run in the bundle's folder, with Python 3.8 or later and nothing else:

    python3 check.py                 the bundle alone
    python3 check.py --lake DIR      also against a copy of the lake: DIR holds the period's
                                     objects at their keys (activity_log/..., coverage/...,
                                     quarantine/...) and, for the chain, digest/instance=NAME/
    python3 check.py --lake DIR --public-key KEY
                                     also each digest's signature, with openssl (which must be
                                     on PATH): KEY is the signing key's public key, PEM, DER or
                                     the base64 DER that aws kms get-public-key prints
    python3 check.py --lake DIR --expect-head N[=SHA256]
                                     also that the chain still holds digest N (the head
                                     noted by someone other than the sender: a verify's
                                     head line, or a run record's digest_head), with that
                                     sha256 when given; N as a key names its instance
                                     (digest/instance=NAME/N.json): the bundle's, or
                                     refused; the options combine

Every line printed starts OK, NOTE or FAILED; the exit status is 0 when none FAILED, else 1.
What it cannot prove: that the bundle is the one the sender made (only a sha256 of SHA256SUMS
recorded elsewhere at handover proves that), and that KEY is the lake's key (README.txt: its
fingerprint, printed on the signature's OK line, against the one recorded at deploy by someone
other than the sender).
"""
import base64
import gzip
import hashlib
import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from datetime import datetime, timedelta, timezone

FORMAT = 'domo-activity-lake/evidence@1'
HOUR = timedelta(hours=1)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
failed = []
shown = Counter()
SHOWN = 5


def say(kind, text, about=None):
    """Prints a finding; of one kind (about), the first few only, the rest counted."""
    if kind == 'FAILED':
        failed.append(text)
    if about is not None:
        shown[about] += 1
        if shown[about] > SHOWN:
            return
    print(kind + ': ' + text)


def more(about):
    if shown[about] > SHOWN:
        print('FAILED: %d more like the above' % (shown[about] - SHOWN))


def sha256_of(path):
    digest = hashlib.sha256()
    size = 0
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def utc(text):
    return datetime.strptime(text, '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=timezone.utc)


def ms(moment):
    return (moment - EPOCH) // timedelta(milliseconds=1)


def lines_of(path):
    with open(path, 'rb') as f:
        for raw in f:
            yield raw[:-1] if raw.endswith(b'\n') else raw


def inside(path):
    """A relative path of this folder, '/'-separated, none of its parts empty, '.' or '..'."""
    parts = path.split('/')
    return '\\' not in path and not path[1:2] == ':' and all(part not in ('', '.', '..') for part in parts)


def check_sums():
    listed = {}
    bad = 0
    with open('SHA256SUMS', encoding='utf-8') as f:
        for line in f:
            digest, _, path = line.rstrip('\n').partition('  ')
            if path in listed:
                say('FAILED', path + ': listed more than once in SHA256SUMS')
                bad += 1
            listed[path] = digest
    for path, digest in sorted(listed.items()):
        if not inside(path):
            say('FAILED', repr(path) + ': SHA256SUMS names a path that is not a file of this folder')
            bad += 1
        elif not os.path.isfile(path):
            say('FAILED', path + ': listed in SHA256SUMS, not in the bundle')
            bad += 1
        elif sha256_of(path)[0] != digest:
            say('FAILED', path + ': its SHA-256 is not the one SHA256SUMS lists')
            bad += 1
    for root, _, names in os.walk('.'):
        for name in names:
            path = os.path.relpath(os.path.join(root, name), '.').replace(os.sep, '/')
            if path != 'SHA256SUMS' and path not in listed:
                say('FAILED', path + ': in the bundle, listed nowhere')
                bad += 1
    if bad == 0:
        say('OK', 'every file listed in SHA256SUMS holds its SHA-256, and none is unlisted (%d files)' % len(listed))
    return listed


def check_manifest(listed):
    with open('manifest.json', encoding='utf-8') as f:
        manifest = json.load(f)
    if manifest.get('format') != FORMAT:
        say('FAILED', 'manifest.json: format %r, not %s' % (manifest.get('format'), FORMAT))
    files = {entry['path']: entry for entry in manifest.get('files', [])}
    others = {path: digest for path, digest in listed.items() if path != 'manifest.json'}
    bad = 0
    for path in sorted(set(files) | set(others)):
        entry = files.get(path)
        if entry is None or path not in others:
            say('FAILED', path + ': listed by one of manifest.json and SHA256SUMS only')
            bad += 1
        elif entry['sha256'] != others[path] or (os.path.isfile(path) and os.path.getsize(path) != entry['bytes']):
            say('FAILED', path + ': manifest.json gives another SHA-256 or size than the file has')
            bad += 1
    if bad == 0:
        say('OK', 'manifest.json lists the files SHA256SUMS lists, with the same SHA-256 and size')
    return manifest


def whole(value):
    """A JSON number as the product reads it (JavaScript: 12.0 is 12, Number.isSafeInteger), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if abs(value) < 2 ** 53 else None


def id_text(value):
    if isinstance(value, str):
        return value
    number = whole(value)
    return None if number is None else str(number)


def names_user(event, user):
    if id_text(event.get('user_id')) == user or id_text(event.get('actor_id')) == user:
        return True
    kind = event.get('object_type')
    return isinstance(kind, str) and kind.upper() == 'USER' and id_text(event.get('object_id')) == user


# How the alerts key an address (ip-network.ts: CLIENT_PATTERNS, addressKey), for a bundle by address.
CLIENT = dict((name, re.compile(pattern)) for name, pattern in json.loads(r'''${JSON.stringify(CLIENT_PATTERNS)}''').items())
EDGE = ' \t\n\r\f'


def lower_ascii(text):
    return re.sub('[A-Z]+', lambda m: m.group(0).lower(), text)


def entry_key(raw):
    """An entry of a forwarded-for list without brackets, port and blanks, keyed when a public address."""
    entry = raw
    for name in ('BRACKETED', 'WITH_PORT', 'TRIMMED'):
        found = CLIENT[name].match(raw)
        if found and found.group(1) is not None:
            entry = found.group(1)
            break
    v4 = CLIENT['PUBLIC_V4'].match(entry)
    if v4:
        return None if CLIENT['ANCHORED_PRIVATE_V4'].match(v4.group(2)) else v4.group(2)
    return entry if CLIENT['GLOBAL_V6'].match(entry) and not CLIENT['UNKEYED_V6'].match(entry) else None


def v6_network64(entry):
    closed = entry + '0' if entry.endswith('::') else entry
    missing = 8 - (len(closed.split(':')) - 1)
    full = closed.replace('::', ':' + '0:' * max(0, missing), 1)
    return ':'.join(re.sub('^0*(?=[0-9a-f])', '', group, count=1) for group in full.split(':')[:4]) + '::/64'


def keyed_address(text):
    """(key, keyed): an address text's key as a spray groups it (its first public entry; an IPv6 one's
    /64), keyed True; else the whole text lower-cased, or '' for one without a dot or a colon."""
    for raw in lower_ascii(text).split(','):
        key = entry_key(raw) if '.' in raw or ':' in raw else None
        if key is not None:
            return (v6_network64(key) if ':' in key else key), True
    return ('' if '.' not in text and ':' not in text else lower_ascii(text.strip(EDGE))), False


def no_user(event):
    """Whether the event's user id names no user: none, empty, 0 (no-user-id.ts, namesNoUser)."""
    user = id_text(event.get('user_id'))
    return user is None or re.fullmatch('[ \t\n\r\f]*0?[ \t\n\r\f]*', user) is not None


# JavaScript's white space (its \s and trim), which a name's key folds (detection.ts, nameKey).
NAME_SPACE = '\t\n\x0b\x0c\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'


# The characters of the names compared that this Python's Unicode does not know (noncharacters aside).
UNKNOWN = set()


def name_key(text):
    """A user name as the alerts key all its spellings as one (detection.ts, nameKey)."""
    UNKNOWN.update(c for c in text if unicodedata.category(c) == 'Cn' and not noncharacter(c))
    folded = unicodedata.normalize('NFKC', unicodedata.normalize('NFKC', text).upper().lower())
    return re.sub('[' + NAME_SPACE + ']+', ' ', folded).strip(NAME_SPACE)


def noncharacter(c):
    """One of Unicode's 66 noncharacters, never assigned: they fold as themselves in every version."""
    return 0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE


def unicode_note(manifest):
    """What a NOTE says when the names compared held characters this Python's Unicode does not know,
    else None. Python folds them as themselves; the maker's Node, of a later Unicode, may fold them as
    other letters (of Unicode 17.0 against Python 3.11's 14.0, 154 code points fold otherwise, each
    unknown to the older): a line FAILED as not under the name, or one of the name not found left
    out, may be that alone. The folding is the alerts' (nameKey), so it is not narrowed here."""
    if not UNKNOWN:
        return None
    chars = sorted(UNKNOWN)
    return ('the names compared hold %d character(s) this Python\'s Unicode (%s) does not know (%s%s): the'
            ' bundle\'s maker folded them by Unicode %s, maybe as other letters, so a line FAILED as not under'
            ' the name, or one of the name not found left out, may be that alone: run check.py with a Python of'
            ' that Unicode or later' % (len(chars), unicodedata.unidata_version,
                                         ', '.join('U+%04X' % ord(c) for c in chars[:10]),
                                         ', ...' if len(chars) > 10 else '',
                                         manifest.get('unicode') or '(not stated: a bundle made before it was)'))


def of_name(event, name):
    """Whether the event is under the name of no user id (evidence-hours.ts, eventOfName)."""
    carried = event.get('user_name')
    return no_user(event) and name_key(carried if isinstance(carried, str) else '') == name_key(name)


def quarantined_of_name(record, name):
    """Whether a quarantined entry's text holds the name (evidence-hours.ts, quarantinedOfName)."""
    key, raw = name_key(name), record.get('raw')
    return key != '' and isinstance(raw, str) and any(key in name_key(text) for text in searched_texts(raw))


def name_text(name):
    """A name of no user id as README.txt names it (evidence-alert.ts, nameText)."""
    return 'the name %s of no user id' % json.dumps(name)


def source_group(event, scope):
    """The group of the event at scope, as the alerts group a spray's failures (spray-groups.ts,
    sprayGroupOf): its address key, its /24 or /48, its network owner, or 'any address' when it names
    no user; None when it is in none."""
    if scope == 'instance':
        return 'any address' if no_user(event) else None
    address = event.get('ip_address')
    if not isinstance(address, str):
        return None
    key, keyed = keyed_address(address)
    if scope == 'address':
        return key or None
    if not keyed:
        return None
    if scope == 'network':
        return ':'.join(key.split(':')[:3]) + '::/48' if key.endswith('::/64') else key[:key.rfind('.')] + '.0/24'
    asn = whole(event.get('ip_asn'))
    return None if asn is None else 'AS%d' % asn


# The texts of an entry that may be addresses (evidence-hours.ts, ADDRESS_PATTERNS, addressTexts).
ADDRESS = dict((name, re.compile(pattern)) for name, pattern in json.loads(r'''${JSON.stringify(ADDRESS_PATTERNS)}''').items())


def address_texts(raw):
    """An entry's IPv4 addresses, and its runs of hex digits, colons and dots without the dots at their
    ends and a lone colon at either (evidence-hours.ts, addressTexts)."""
    runs = [ADDRESS['LONE_COLON'].sub('', run.strip('.')) for run in ADDRESS['RUN'].findall(raw)]
    return ADDRESS['V4'].findall(raw) + runs


def quarantined_of_address(record, source):
    """Whether a quarantined entry is of the case by address, as the bundle kept it (evidence-hours.ts,
    quarantinedOfAddress): its text holds an address of the group, or for one address its text."""
    raw, scope, group = record.get('raw'), source.get('scope'), source.get('group')
    if not isinstance(raw, str) or scope not in ('address', 'network'):
        return False
    return any((scope == 'address' and group in text) or
               any(source_group({'ip_address': found}, scope) == group for found in address_texts(text))
               for text in searched_texts(raw))


# A JSON escape (evidence-hours.ts, JSON_ESCAPE), and the characters of the one-letter ones.
JSON_ESCAPE = re.compile(json.loads(r'''${JSON.stringify(JSON_ESCAPE)}'''))
ESCAPED = {'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}


def json_unescaped(text):
    """The text with its JSON escapes undone, read as text, left to right (evidence-hours.ts,
    jsonUnescaped); a pair of UTF-16 escapes is one character, as in JavaScript's strings."""
    undone = JSON_ESCAPE.sub(lambda m: ESCAPED.get(m.group(2), m.group(2)) if m.group(1) is None
                             else chr(int(m.group(1), 16)), text)
    return undone.encode('utf-16-le', 'surrogatepass').decode('utf-16-le', 'surrogatepass')


def searched_texts(raw):
    """A quarantined entry's text, and with its JSON escapes undone when it holds any (evidence-hours.ts,
    searchedTexts): an id, a name or an address spelled with escapes is the same to a reader of the JSON."""
    unescaped = json_unescaped(raw)
    return [raw] if unescaped == raw else [raw, unescaped]


def quarantined_names_user(record, user):
    """Whether a quarantined entry's text holds the user's id (evidence-hours.ts, quarantinedNamesUser)."""
    raw = record.get('raw')
    return isinstance(raw, str) and any(user in text for text in searched_texts(raw))


def of_case(case, field):
    """The test the bundle kept an object's lines by (evidence-hours.ts, readEvidenceHours), for
    field 'activity' or 'quarantine', on a line parsed; None: every line."""
    user, source, name = case.get('user_id'), case.get('address'), case.get('user_name')
    if name is not None:
        if field == 'activity':
            return lambda record: of_name(record, name)
        return lambda record: quarantined_of_name(record, name)
    if user is not None:
        if field == 'activity':
            return lambda record: names_user(record, user)
        return lambda record: quarantined_names_user(record, user)
    if source is not None:
        if field == 'activity':
            return lambda record: source_group(record, source.get('scope')) == source.get('group')
        return lambda record: quarantined_of_address(record, source)
    return None


def described(source):
    """A case by address as README.txt names it (evidence-alert.ts, addressText)."""
    scope, group = source.get('scope'), str(source.get('group'))
    if scope == 'instance':
        return group + ', under names of no user'
    return {'address': 'address ', 'network': 'network ', 'owner': 'network owner '}.get(scope, '?') + group


def not_of_case(case):
    """Why an alert's event may be no line besides the period (evidence-alert.ts, notOfCase)."""
    if case.get('user_name') is not None:
        return 'not under ' + name_text(case['user_name'])
    source = case.get('address')
    if source is None:
        return 'not the user\'s'
    return 'not under a name of no user' if source.get('scope') == 'instance' else 'not from ' + described(source)


def spans(hours):
    """Hours as ranges: 2026-11-30T05:00Z .. 07:00Z (end excluded)."""
    out = []
    for hour in hours:
        if out and out[-1][1] == hour:
            out[-1][1] = hour + HOUR
        else:
            out.append([hour, hour + HOUR])
    return ', '.join(a.strftime('%Y-%m-%dT%H:%MZ') + ' .. ' + b.strftime('%Y-%m-%dT%H:%MZ') for a, b in out)


# Each hour's objects at their keys in the lake (layout.ts: activityKey, coverageKey, quarantineKey).
OBJECTS = (('activity', 'activity_log', '.ndjson.gz'), ('coverage', 'coverage', '.json'),
           ('quarantine', 'quarantine', '.ndjson.gz'))


def check_hours(account, manifest):
    case = account['case']
    if case != manifest.get('case'):
        say('FAILED', 'hours.json and manifest.json state different cases')
    start, end = utc(case['from']), utc(case['to'])
    wanted = []
    at = start
    while at < end:
        wanted.append(at)
        at += HOUR
    given = [utc(hour['hour']) for hour in account['hours']]
    if given != wanted:
        say('FAILED', 'hours.json does not account for every hour of %s .. %s once, in order (%d of %d)'
            % (case['from'], case['to'], len(given), len(wanted)))
    else:
        say('OK', 'hours.json accounts for every hour of %s .. %s (UTC, end excluded): %d hours'
            % (case['from'], case['to'], len(wanted)))
    not_pulled, quiet, bad = [], [], 0
    for hour in account['hours']:
        moment = utc(hour['hour'])
        coverage, activity = hour.get('coverage'), hour.get('activity')
        # Another hour's object of as many lines, of none of the case's, hid the hour's lines: every
        # other check held, against the lake and its chain too.
        for field, folder, suffix in OBJECTS:
            key = '%s/instance=%s/dt=%s/%s%s' % (folder, case['instance'], moment.strftime('%Y-%m-%d'),
                                                  moment.strftime('%Y-%m-%dT%H'), suffix)
            if hour.get(field) is not None and hour[field].get('key') != key:
                say('FAILED', 'hours.json: the %s object of %s is %r, not the hour\'s (%s)'
                    % (field, hour['hour'], hour[field].get('key'), key))
                bad += 1
        if coverage is None:
            not_pulled.append(moment)
            continue
        path = 'lake/' + coverage['key']
        if not inside(path) or not os.path.isfile(path) or sha256_of(path) != (coverage['sha256'], coverage['bytes']):
            say('FAILED', path + ': missing, or not the SHA-256 and size hours.json gives')
            bad += 1
            continue
        with open(path, encoding='utf-8') as f:
            window = json.load(f)
        if window.get('window_start_ms') != ms(moment) or window.get('window_end_ms') != ms(moment + HOUR):
            say('FAILED', path + ': its window is not the hour ' + hour['hour'])
            bad += 1
        if window.get('event_count') != (activity or {}).get('lines', 0):
            say('FAILED', '%s: event_count %r, the hour\'s object held %r lines'
                % (path, window.get('event_count'), (activity or {}).get('lines', 0)))
            bad += 1
        # The quarantine object may have grown since (a later pull), never shrunk: one left out of
        # hours.json, with its lines, passed every other check, against the lake too.
        quarantined = (hour.get('quarantine') or {}).get('lines', 0)
        if isinstance(window.get('quarantined_count'), int) and quarantined < window['quarantined_count']:
            say('FAILED', '%s: quarantined_count %r, the hour\'s quarantine object held %r lines%s'
                % (path, window['quarantined_count'], quarantined,
                   '' if hour.get('quarantine') else ' (hours.json names none)'))
            bad += 1
        if (activity or {}).get('lines', 0) == 0:
            quiet.append(moment)
    if bad == 0:
        say('OK', 'each object hours.json names is at its hour\'s key, and each coverage manifest is of its hour,'
            ' counting the lines of its objects')
    if quiet:
        say('NOTE', '%d hour(s) pulled, with no event at all (a manifest, no line): %s' % (len(quiet), spans(quiet)))
    if not_pulled:
        say('FAILED', '%d hour(s) NOT PULLED (no coverage manifest): the lake cannot say what happened in them: %s'
            % (len(not_pulled), spans(not_pulled)))
    else:
        say('OK', 'every hour has a coverage manifest: each was pulled from Domo')


def check_lines(path, account, field, user, timed, keep, geo=None, source=None):
    """The bundle's lines of one table, hour by hour as hours.json counts them: their event ids, and
    (keep) the lines by hour, held only to be compared with the lake's objects; each line's
    geo_db_version counted in geo, given one."""
    by_hour, ids = [], []
    name = account['case'].get('user_name')
    lines = lines_of(path)
    bad = 0
    total = 0
    for hour in account['hours']:
        moment = utc(hour['hour'])
        kept = (hour.get(field) or {}).get('kept', 0)
        mine = []
        for _ in range(kept):
            line = next(lines, None)
            if line is None:
                break
            mine.append(line)
        total += len(mine)
        if len(mine) < kept:
            say('FAILED', '%s: hours.json counts %d line(s) kept for %s, the file has fewer' % (path, kept, hour['hour']), path)
            bad += 1
        for line in mine:
            record = json.loads(line)
            if timed and not ms(moment) <= record.get('event_time_ms', -1) < ms(moment + HOUR):
                say('FAILED', '%s: event %s is not of the hour %s it is counted in' % (path, record.get('event_id'), hour['hour']), path)
                bad += 1
            if timed and user is not None and not names_user(record, user):
                say('FAILED', '%s: event %s does not name user %s' % (path, record.get('event_id'), user), path)
                bad += 1
            if timed and name is not None and not of_name(record, name):
                say('FAILED', '%s: event %s is not under %s' % (path, record.get('event_id'), name_text(name)), path)
                bad += 1
            if timed and source is not None and source_group(record, source.get('scope')) != source.get('group'):
                say('FAILED', '%s: event %s is not from %s' % (path, record.get('event_id'), described(source)), path)
                bad += 1
            ids.append(str(record.get('event_id')))
            if geo is not None:
                version = record.get('geo_db_version')
                geo[version if isinstance(version, str) and version != '' else None] += 1
        by_hour.append(mine if keep else None)
    more(path)
    extra = sum(1 for _ in lines)
    if extra:
        say('FAILED', '%s: %d line(s) more than hours.json counts' % (path, extra))
        bad += 1
    if bad == 0:
        say('OK', '%s: %d line(s), as hours.json counts them hour by hour%s%s' % (
            path, total, ', each of its hour' if timed else '',
            ' and from ' + described(source) if timed and source is not None else
            ' and under ' + name_text(name) if timed and name is not None else ''))
    return by_hour, ids


def check_geo(manifest, geo):
    """The geo databases manifest.json says placed the events, against the lines' geo_db_version."""
    if 'geo_databases' not in manifest:
        say('NOTE', 'manifest.json names no geo database (a bundle made before they were named): each'
            ' line\'s geo_db_version says which placed it')
        return
    stated = Counter()
    for entry in manifest['geo_databases']:
        stated[entry.get('version')] += entry.get('events', 0)
    if stated != geo:
        say('FAILED', 'manifest.json: its geo_databases are not the geo_db_version of the lines of events.ndjson')
    elif geo:
        say('OK', 'manifest.json names the geo database(s) of the lines: %s' % ', '.join(
            '%s (%d)' % (version or 'none', count) for version, count in sorted(geo.items(), key=lambda i: i[0] or '')))


def case_text(user, source, name=None):
    if name is not None:
        return name_text(name) + ' (by name, not by user)'
    if source is not None:
        return described(source) + ' (by address, not by user)'
    return 'every event' if user is None else 'user ' + user


def check_case(account, user, source=None):
    """The case stated three ways, held against each other: a bundle of every event (no user, no
    address) keeps every line of each object it read, and README.txt names the case's user, its
    address (a bundle by address: each line's address is checked against it) or every event. A
    user's bundle with its user cut from hours.json and manifest.json (and its queries removed)
    passed as a bundle of every event before (review AUDIT4)."""
    bad = 0
    name = account['case'].get('user_name')
    if len([given for given in (user, source, name) if given is not None]) > 1:
        say('FAILED', 'hours.json: the case is of more than one of a user, an address and a name at once (%r, %r, %r):'
            ' no bundle is made so' % (user, source, name))
        bad += 1
    if user is None and source is None and name is None:
        for hour in account['hours']:
            for field in ('activity', 'quarantine'):
                read = hour.get(field) or {}
                if read.get('kept', 0) != read.get('lines', 0):
                    say('FAILED', 'hours.json: %s keeps %r of the %r line(s) of its %s object, in a bundle of every'
                        ' event (no user), which keeps them all' % (hour['hour'], read.get('kept'), read.get('lines'),
                                                                   field), 'whole')
                    bad += 1
        more('whole')
    with open('README.txt', encoding='utf-8') as f:
        readme = f.read()
    if name is not None:
        stated = 'What:     the events under %s (by name, not by user): ' % name_text(name)
    elif source is not None:
        stated = 'What:     the events from %s (by address, not by user): ' % described(source)
    elif user is None:
        stated = 'What:     every event the lake holds for the period'
    else:
        stated = 'What:     the events of Domo user %s: ' % user
    # One What: line, the case's: a second one above it (another user's, every event) was read first
    # by a person and passed, since the case's was found further down (review EVID8).
    whats = [line for line in readme.split('\n') if line.startswith('What:')]
    if len(whats) != 1 or not whats[0].startswith(stated):
        say('FAILED', 'README.txt does not state the case hours.json and manifest.json state (%s)%s'
            % (case_text(user, source, name), '' if len(whats) < 2 else ' alone: it has %d What: lines' % len(whats)))
        bad += 1
    if bad == 0:
        say('OK', 'README.txt and hours.json state the same case (%s)%s' % (
            case_text(user, source, name),
            ', and every line of each object read is kept' if user is None and source is None and name is None else ''))
    check_note(account['case'], readme)


def check_note(case, readme):
    """What the bundle answers (the sender's note: a ticket, an alert), as README.txt states it
    on its Case: line and as hours.json and manifest.json hold it (check_hours compares those two):
    a note edited in one, or added to or cut from one, fails (review EVIDCASE). A bundle made
    before notes has no note key at all (not a null one): a NOTE says so, as for geo_databases."""
    note = case.get('note')
    stated = [line[len('Case:     '):] for line in readme.split('\n') if line.startswith('Case:     ')]
    if stated == ([] if note is None else [note]):
        if note is not None:
            say('OK', 'README.txt and manifest.json note the same case: %s' % note)
        elif 'note' not in case:
            say('NOTE', 'manifest.json holds no case note (a bundle made before they were written): what the'
                ' bundle answers is for its sender to say')
    else:
        say('FAILED', 'README.txt notes the case as %s, manifest.json as %s' % (
            ' and '.join(repr(s) for s in stated) or 'nothing', 'nothing' if note is None else repr(note)))


def address_queryable(source):
    """Whether address_activity selects every event of the group (evidence-alert.ts' addressQueryParams
    is its twin): an owner, one address, or an IPv4 /24; an IPv6 /64 or /48 and the names of no user
    are no value of it, so those bundles hold no query."""
    scope, group = source.get('scope'), str(source.get('group'))
    if scope == 'owner':
        return True
    try:
        if group.endswith('.0/24'):
            ipaddress.IPv4Address(group[:-len('/24')])
        else:
            ipaddress.ip_address(group)
    except ValueError:
        return False
    return scope in ('address', 'network')


def check_queries(manifest, event_ids, user):
    """Each query's rows against its provenance and SQL; a bundle of one user must hold the
    user_activity query, and one by address that address_activity selects that query, whose rows
    are held against the lines (their removal, with their lines in SHA256SUMS and manifest.json,
    skipped that check without a word before)."""
    names = sorted(os.listdir('queries')) if os.path.isdir('queries') else []
    if user is not None and 'user_activity.provenance.json' not in names:
        say('FAILED', 'queries/user_activity.provenance.json: absent from a bundle of user %s, so its rows were'
            ' not held against the lines of events.ndjson' % user)
    source = manifest['case'].get('address')
    if source is not None and address_queryable(source) and 'address_activity.provenance.json' not in names:
        say('FAILED', 'queries/address_activity.provenance.json: absent from a bundle of %s, which the query selects,'
            ' so its rows were not held against the lines of events.ndjson' % described(source))
    for name in names:
        if not name.endswith('.provenance.json'):
            continue
        rows_path = 'queries/' + name[:-len('.provenance.json')] + '.json'
        with open('queries/' + name, encoding='utf-8') as f:
            provenance = json.load(f)
        if (provenance.get('params') or {}).get('user_id') != user:
            say('FAILED', 'queries/%s: its query is of user %r, the bundle\'s case of %s' % (
                name, (provenance.get('params') or {}).get('user_id'), 'every event' if user is None else 'user ' + user))
        output = provenance.get('output', {})
        if not os.path.isfile(rows_path) or sha256_of(rows_path) != (output.get('sha256'), output.get('bytes')):
            say('FAILED', rows_path + ': not the rows its provenance names (SHA-256, size)')
            continue
        with open(rows_path, encoding='utf-8') as f:
            rows = json.load(f)
        period = provenance.get('period') or {}
        case = manifest['case']
        if len(rows) != provenance.get('rows', {}).get('count') or provenance.get('rows', {}).get('cut') is not None:
            say('FAILED', rows_path + ': not every row its provenance counts, or cut short')
        elif (period.get('from'), period.get('to')) != (case['from'], case['to']):
            say('FAILED', rows_path + ': its period is not the bundle\'s')
        else:
            engine = provenance.get('engine', {})
            say('OK', '%s: %d row(s), as its provenance says (query %s, SQL sha256 %s, %s %s)' % (
                rows_path, len(rows), provenance.get('query', {}).get('name', 'SQL'),
                provenance.get('query', {}).get('sqlSha256', '?')[:12], engine.get('name', '?'),
                engine.get('version', manifest.get('duckdb') or 'version not stated')))
        sql_path = rows_path[:-len('.json')] + '.sql'
        if os.path.isfile(sql_path):
            if sha256_of(sql_path)[0] == provenance.get('query', {}).get('sqlSha256'):
                say('OK', sql_path + ': the SQL that ran, as its provenance\'s sqlSha256 hashes it')
            else:
                say('FAILED', sql_path + ': not the SQL its provenance names (sqlSha256)')
        if rows_path == 'queries/user_activity.json':
            if Counter(str(row.get('event_id')) for row in rows) == Counter(event_ids):
                say('OK', 'the rows of user_activity are the lines of events.ndjson (by event_id)')
            else:
                say('FAILED', 'the rows of user_activity are not the lines of events.ndjson (by event_id)')
        if rows_path == 'queries/address_activity.json' and source is not None:
            # The query finds the address as any entry of a list; a line is keyed by its client entry.
            kept = [row for row in rows if source_group(
                {'ip_address': row.get('ip_address'), 'ip_asn': row.get('asn'), 'user_id': row.get('user_id')},
                source.get('scope')) == source.get('group')]
            if Counter(str(row.get('event_id')) for row in kept) == Counter(event_ids):
                say('OK', 'the rows of address_activity of %s are the lines of events.ndjson (by event_id)%s' % (
                    described(source), '' if len(kept) == len(rows) else
                    '; %d row(s) of another group (a proxy hop) left out' % (len(rows) - len(kept))))
            else:
                say('FAILED', 'the rows of address_activity of %s are not the lines of events.ndjson (by event_id)'
                    % described(source))


def archived_as_stated(record, path):
    """The alert as manifest.json states it, from its archived record (evidence-alert.ts): its id,
    kind, user, time (the archived text, else the ISO time of event_time_ms) and the record's SHA-256."""
    time = record.get('event_time')
    if not isinstance(time, str):
        at = EPOCH + timedelta(milliseconds=record.get('event_time_ms'))
        time = at.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (at.microsecond // 1000)
    user = record.get('user_id')
    return (record.get('id'), record.get('kind'), user if isinstance(user, str) else None, time,
            sha256_of(path)[0])


def alert_source(record):
    """The case by address of an alert of no user (evidence-alert.ts, alertAddressCase), as
    (scope, group): a spray's from its spray_key; any other kind's the key of its address; None when
    it has neither (a spray archived before its key: its evidence names the group, see
    case_of_alert)."""
    key = record.get('spray_key')
    if record.get('kind') == 'password_spray':
        if not isinstance(key, str):
            return None
        scoped = key[len('SLOW '):] if key.startswith('SLOW ') else key
        prefix, _, rest = scoped.partition(' ')
        scope = {'NET': 'network', 'OWNER': 'owner', 'ANY': 'instance'}.get(prefix)
        return ('address', scoped) if scope is None else (scope, rest)
    address = record.get('ip_address')
    return ('address', keyed_address(address)[0]) if isinstance(address, str) else None


def case_of_alert(record, case):
    """Why the bundle's case is not the one the alert gives, or None: its user's events, or for an
    alert of no user those under its name (a lockout or burst: evidence-alert.ts, alertNameCase) or of
    its address, network or owner. A spray archived before its spray_key: its evidence must name the
    case's group (as the alerts read it back), or its address be it."""
    user = record.get('user_id') if isinstance(record.get('user_id'), str) else None
    source, name = case.get('address'), case.get('user_name')
    if user is not None:
        return None if case.get('user_id') == user and source is None and name is None else 'the alert is of user %s' % user
    if record.get('kind') in ('lockout', 'failed_login_burst'):
        wanted = record.get('user_name') if isinstance(record.get('user_name'), str) else ''
        if case.get('user_id') is None and source is None and name == wanted:
            return None
        return 'the alert is of ' + name_text(wanted)
    if case.get('user_id') is not None or name is not None or not isinstance(source, dict):
        return 'the alert names no user: its case is by address'
    given = (source.get('scope'), source.get('group'))
    wanted = alert_source(record)
    if wanted is None and record.get('kind') == 'password_spray':
        of_address = isinstance(record.get('ip_address'), str) and given == ('address', keyed_address(record['ip_address'])[0])
        if of_address or (given[0] != 'address' and described(source) in str(record.get('evidence'))):
            return None
    elif given == wanted:
        return None
    return 'the alert names %s' % ('no address' if wanted is None else described({'scope': wanted[0], 'group': wanted[1]}))


DAY = timedelta(days=1)
JOURNEY_MINUTES = re.compile(' km in ([0-9]+) min; previous login ')


def period_of_alert(record, case, lake, made):
    """Why the bundle's period is not the one its alert gives (evidence-alert.ts, alertCase), or None:
    for a user, from the UTC day before the alert's (an impossible journey's departure's, when
    earlier) to the end of the day after; of no user, its hour and the ${ALERT_ADDRESS_HOURS} either side; the end
    earlier only where the lake had pulled no further, never before the end of the alert's hour
    (cut_short). A sender who narrowed it, and hours.json and README.txt with it, passed before."""
    at = EPOCH + timedelta(milliseconds=record.get('event_time_ms'))
    hour = at.replace(minute=0, second=0, microsecond=0)
    if isinstance(record.get('user_id'), str):
        day = hour.replace(hour=0)
        start = day - ${ALERT_USER_DAYS} * DAY
        journey = JOURNEY_MINUTES.search(str(record.get('evidence'))) if record.get('kind') == 'impossible_travel' else None
        if journey:
            departure = at - timedelta(minutes=int(journey.group(1)) + 1)
            start = min(start, departure.replace(hour=0, minute=0, second=0, microsecond=0))
        end = day + (${ALERT_USER_DAYS} + 1) * DAY
    else:
        start, end = hour - ${ALERT_ADDRESS_HOURS} * HOUR, hour + (${ALERT_ADDRESS_HOURS} + 1) * HOUR
    given_to = utc(case['to'])
    if utc(case['from']) != start or not hour + HOUR <= given_to <= end:
        return 'from %s to %s (or to the end of the hours the lake had pulled, at least the alert\'s own hour)' % (
            start.strftime('%Y-%m-%dT%H:%MZ'), end.strftime('%Y-%m-%dT%H:%MZ'))
    return None if given_to == end else cut_short(given_to, end, case.get('instance'), lake, made)


def cut_short(given_to, end, instance, lake, made):
    """A period ending before its alert's end: where the lake had pulled no further when the bundle was
    made (a NOTE), or cut short: the lake's copy holds the next hour's coverage manifest, first fetched
    before the bundle was made."""
    say('NOTE', 'the period ends at %s, before its alert\'s end (%s): the lake had pulled no further when the'
        ' bundle was made, or it was cut short (python3 check.py --lake <copy> tells)'
        % (given_to.strftime('%Y-%m-%dT%H:%MZ'), end.strftime('%Y-%m-%dT%H:%MZ')))
    key = 'coverage/instance=%s/dt=%s/%s.json' % (instance, given_to.strftime('%Y-%m-%d'), given_to.strftime('%Y-%m-%dT%H'))
    if lake is None or not os.path.isfile(os.path.join(lake, key)):
        return None
    with open(os.path.join(lake, key), encoding='utf-8') as f:
        fetched = json.load(f).get('first_fetched_at')
    if isinstance(fetched, str) and isinstance(made, str) and utc(fetched) < utc(made):
        return 'cut short: the lake had pulled the hour after it (%s, first fetched %s) before the bundle was made (%s)' % (
            key, fetched, made)
    return None


def check_alert(manifest, event_ids, lake):
    """The alert a bundle was made for (evidence --alert): its archived record, in the bundle at
    the path manifest.json names, is of the alert manifest.json states (id, kind, user, time,
    SHA-256), and its triggering events are the lines of events.ndjson manifest.json says (those
    that are not: a NOTE, by id); given the lake's copy, the record is its archive object."""
    alert = manifest.get('alert')
    if alert is None:
        return
    path = str(alert.get('file'))
    if not inside(path) or not os.path.isfile(path):
        say('FAILED', 'manifest.json: the record of alert %s (%s) is not in the bundle' % (alert.get('id'), path))
        return
    with open(path, encoding='utf-8') as f:
        record = json.loads(f.readline())
    ids = list(dict.fromkeys(i for i in str(record.get('event_ids') or '').split(',') if i))
    held = set(event_ids)
    outside = [i for i in ids if i not in held]
    stated = tuple(alert.get(k) for k in ('id', 'kind', 'user_id', 'event_time', 'sha256'))
    other_case = case_of_alert(record, manifest.get('case') or {})
    period = None if other_case is not None else period_of_alert(record, manifest['case'], lake, manifest.get('created_at'))
    if archived_as_stated(record, path) != stated:
        say('FAILED', '%s: not the alert manifest.json states (its id, kind, user_id, event_time or SHA-256)' % path)
    elif other_case is not None:
        say('FAILED', '%s: the bundle\'s case (%s) is not the alert\'s: %s' % (
            path, case_text(manifest['case'].get('user_id'), manifest['case'].get('address'),
                          manifest['case'].get('user_name')), other_case))
    elif period is not None:
        say('FAILED', '%s: the bundle\'s period (%s .. %s) is not the alert\'s: %s' % (
            path, manifest['case'].get('from'), manifest['case'].get('to'), period))
    elif (len(ids), outside) != (alert.get('event_ids'), alert.get('event_ids_not_in_bundle')):
        say('FAILED', '%s: not the alert manifest.json states (which of its events are lines of events.ndjson)'
            % path)
    elif outside:
        say('NOTE', 'alert %s (%s): %d of its %d event(s) are lines of events.ndjson; not: %s (outside the period,'
            ' or %s)' % (record.get('id'), record.get('kind'), len(ids) - len(outside), len(ids),
                         ', '.join(outside), not_of_case(manifest['case'])))
    else:
        say('OK', 'alert %s (%s): its record is the one manifest.json names, and its %d event(s) are lines of'
            ' events.ndjson' % (record.get('id'), record.get('kind'), len(ids)))
    if lake is not None:
        check_alert_in_lake(lake, path)


def check_alert_in_lake(lake, path):
    """The alert's record against the lake's copy of its archive object, at the same key."""
    stored = os.path.join(lake, path[len('lake/'):])
    if not path.startswith('lake/') or not os.path.isfile(stored):
        say('NOTE', '%s: not in %s (a copy without the alert\'s day of alerts/): the record was not held'
            ' against it' % (path, lake))
    elif sha256_of(stored) != sha256_of(path):
        say('FAILED', '%s: not the archive object %s holds at its key' % (path, lake))
    else:
        say('OK', '%s: the archive object %s holds at its key, byte for byte' % (path, lake))


SIGNATURE_FIELD = b',"signature":'


def signed_part(body):
    """What a digest's signature covers and the signature: the digest's JSON with its last field,
    signature, cut out (as README.txt's sed lines do); None when unsigned; ValueError when the
    field is not the digest's last, or the rest is not the digest without it."""
    text = body[:-1] if body.endswith(b'\n') else body
    at = text.rfind(SIGNATURE_FIELD)
    if at < 0:
        if 'signature' in json.loads(text):
            raise ValueError('a signature field not where the writer puts it')
        return None
    signed = text[:at] + b'}'
    signature = json.loads(text[at + len(SIGNATURE_FIELD):-1])
    whole = json.loads(text)
    if not text.endswith(b'}') or whole.pop('signature', None) != signature or json.loads(signed) != whole:
        raise ValueError('its signature is not its last field')
    if not isinstance(signature, dict) or signature.get('algorithm') != 'ECDSA_SHA_256':
        raise ValueError('not an ECDSA_SHA_256 signature')
    return signed, signature


def key_for_openssl(path, scratch):
    """The public key as openssl reads it, and its form: PEM as given; base64 DER (what aws kms
    get-public-key prints) or DER written out as DER; and the key's SHA-256 fingerprint (of its
    DER), the figure base64 -d | sha256sum gives of what aws kms get-public-key prints."""
    with open(path, 'rb') as f:
        data = f.read()
    if data.lstrip().startswith(b'-----BEGIN'):
        return path, 'PEM', hashlib.sha256(base64.b64decode(b''.join(pem_base64(data)))).hexdigest()
    try:
        der = base64.b64decode(b''.join(data.split()), validate=True)
    except ValueError:
        der = data
    out = os.path.join(scratch, 'pub.der')
    with open(out, 'wb') as f:
        f.write(der)
    return out, 'DER', hashlib.sha256(der).hexdigest()


def pem_base64(data):
    """The base64 lines of a PEM's first block (between its BEGIN and END lines)."""
    inner = data.split(b'-----BEGIN', 1)[1].split(b'\n', 1)[1].split(b'-----END', 1)[0]
    return inner.split()


def openssl_verifies(key, form, signed, value, scratch):
    """Whether openssl verifies the signature (base64 DER) of signed with the key; OSError when
    openssl cannot be run."""
    data, sig = os.path.join(scratch, 'signed.json'), os.path.join(scratch, 'sig.der')
    with open(data, 'wb') as f:
        f.write(signed)
    with open(sig, 'wb') as f:
        f.write(base64.b64decode(value, validate=True))
    run = subprocess.run(['openssl', 'dgst', '-sha256', '-verify', key, '-keyform', form, '-signature', sig, data],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return run.returncode == 0 and b'Verified OK' in run.stdout


def check_signatures(folder, names, public_key):
    """Each digest's signature, verified by openssl with the key given; fails closed: a chain with no
    signed digest, an unsigned digest after a signed one (as verify --integrity's unsigned), one
    whose signature does not verify, and openssl missing are each FAILED. Unsigned digests before
    the first signed one (a lake signed from some day on) are vouched for by its links: a NOTE."""
    bad, key_ids, leading, unverified = 0, set(), [], 0
    with tempfile.TemporaryDirectory() as scratch:
        key, form, fingerprint = key_for_openssl(public_key, scratch)
        for name in names:
            path = os.path.join(folder, name)
            with open(path, 'rb') as f:
                body = f.read()
            try:
                part = signed_part(body)
                if part is None:
                    if key_ids:
                        say('FAILED', path + ': not signed (no "signature" field), after a signed digest', 'signatures')
                        bad += 1
                    else:
                        leading.append(name)
                    continue
                key_ids.add(str(part[1].get('key_id')))
                good = openssl_verifies(key, form, part[0], part[1].get('value', ''), scratch)
            except OSError as error:
                say('FAILED', 'openssl could not be run (%s): no signature was verified' % error)
                return
            except ValueError as error:
                say('FAILED', '%s: its signature cannot be read (%s)' % (path, error), 'signatures')
                bad += 1
                continue
            if not good:
                say('FAILED', path + ': its signature does not verify with the key given', 'signatures')
                bad += 1
                unverified += 1
    more('signatures')
    if not key_ids:
        say('FAILED', folder + ': no digest of the chain is signed: who wrote it is not proved (the key given:'
            ' SHA-256 fingerprint %s)' % fingerprint)
        return
    if unverified:
        # Which key was used: a receiver given the wrong one sees it is not the deploy's record.
        say('FAILED', '%s: %d of the %d signed digest(s) do not verify with the key given, whose SHA-256'
            ' fingerprint (of its DER) is %s: not the key that signed them, or the digests were changed;'
            ' hold the fingerprint against the one recorded at deploy'
            % (folder, unverified, len(names) - len(leading), fingerprint))
    if leading:
        say('NOTE', '%d digest(s) before the first signed one are unsigned (%s .. %s): the signed ones'
            ' link to them' % (len(leading), leading[0], leading[-1]))
    if bad == 0:
        say('OK', '%s: the signature of each of the %d signed digest(s) verifies with the key given (openssl; key_id %s);'
            ' the key\'s SHA-256 fingerprint (of its DER) is %s: it must be the one recorded at deploy'
            % (folder, len(names) - len(leading), ', '.join(sorted(key_ids)), fingerprint))


def expected_head(text):
    """--expect-head's N or N=SHA256 (N also as the digest's key or name, as verify's head line
    gives it; the sha256 in either case, as verify reads it): (N, the sha256 in lower case, or
    None, the instance the key names, or None); ValueError saying what is wrong when it is
    neither. A key holds '=' (instance=NAME/): what follows the last '=' is a sha256 only when it
    holds no '/'."""
    head, equals, digest = text.strip().rpartition('=')
    if not equals or '/' in digest:
        head, digest = text.strip(), None
    parts = head.strip().split('/')
    number = parts[-1]
    folder = parts[-2] if len(parts) > 1 else ''
    instance = folder[len('instance='):] if folder.startswith('instance=') else None
    number = number[:-len('.json')] if number.endswith('.json') else number
    if number == '' or not all(c in '0123456789' for c in number):
        raise ValueError('--expect-head %r: %r is not a digest\'s number (N, its file name N.json or its key'
                         ' digest/instance=NAME/N.json)' % (text, head.strip()))
    if digest is not None:
        digest = digest.strip().lower()
        if len(digest) != 64 or not all(c in '0123456789abcdef' for c in digest):
            raise ValueError('--expect-head %r: the sha256 after "=" is not 64 hex digits' % text)
    return int(number), digest, instance


def check_head_instance(expect):
    """A head noted for another instance is not this chain's: digest N of another instance's chain
    held against this one's digest N proved nothing (review CHECKHEAD). The bundle's instance is
    read here, before any check; None when hours.json cannot say it (its checks then fail)."""
    if expect is None or expect[2] is None:
        return None
    try:
        with open('hours.json', encoding='utf-8') as f:
            instance = json.load(f)['case']['instance']
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if expect[2] == instance:
        return None
    return ('--expect-head: the head noted is of instance %r (digest/instance=%s/), the bundle of instance %r:'
            ' a head noted for this instance is needed' % (expect[2], expect[2], instance))


def check_head(folder, names, expect):
    """The chain against the head a third party noted: FAILED when it ends before it (digests
    removed from its end) or holds other bytes there; a NOTE when it goes on past it."""
    number, digest, _ = expect
    last = len(names) - 1
    if number > last:
        say('FAILED', '%s: the chain ends at digest %d, before the head noted (%d): digests were removed from'
            ' its end, or the copy is not whole' % (folder, last, number))
        return
    if digest is not None and sha256_of(os.path.join(folder, names[number]))[0] != digest:
        say('FAILED', '%s: digest %d is not the one noted (sha256 %s)' % (folder, number, digest))
        return
    say('OK', '%s: the chain holds the head noted, digest %d%s' % (folder, number, '' if digest is None else ' with its sha256'))
    if digest is None:
        # The number alone proves the chain's length: the sender who made the copy can write the
        # whole chain again up to it, each digest and link (review EVID8).
        say('NOTE', '%s: the head was noted by its number alone, which a chain written again whole up to it'
            ' passes too: its sha256 (N=SHA256, a verify\'s head line) pins digest %d and every one before it'
            % (folder, number))
    if number < last:
        say('NOTE', '%s: the chain goes on past the head noted: %d digest(s) written since (later runs), to %d'
            % (folder, last - number, last))


def chain_records(folder, public_key, expect=None):
    """The chain's last record of each key, walking its links (and verifying each digest's
    signature, given the public key; and that it holds the head noted, given one), and, given a
    head, the last record of each key up to it (else None); (None, None) when the folder is not
    there."""
    if not os.path.isdir(folder):
        if public_key is not None:
            say('FAILED', folder + ': no digest chain, so no signature to verify')
        if expect is not None:
            say('FAILED', folder + ': no digest chain, so not the head noted')
        return None, None
    names = sorted(name for name in os.listdir(folder) if name.endswith('.json'))
    records, previous, bad, at_head = {}, None, 0, None
    for number, name in enumerate(names):
        path = os.path.join(folder, name)
        with open(path, encoding='utf-8') as f:
            digest = json.load(f)
        link = digest.get('previous')
        if digest.get('sequence') != number:
            say('FAILED', path + ': sequence %r, the chain\'s %d-th digest' % (digest.get('sequence'), number))
            bad += 1
        if previous is not None and (link or {}).get('sha256') != previous:
            say('FAILED', path + ': its link does not hold the SHA-256 of the digest before it')
            bad += 1
        previous = sha256_of(path)[0]
        for record in digest.get('objects', []):
            records[record['key']] = record
        if expect is not None and number == expect[0]:
            at_head = dict(records)
    if bad == 0:
        say('OK', '%s: %d digest(s), each linked to the one before it; head %s (digest %d)=%s%s'
            % (folder, len(names), names[-1] if names else '-', len(names) - 1, previous,
               '' if public_key is not None else ' (signatures not checked: --public-key)'))
    if public_key is not None:
        check_signatures(folder, names, public_key)
    if expect is not None:
        check_head(folder, names, expect)
    return records, at_head


def check_head_vouches(at_head, records, keys, given):
    """Which of the bundle's objects the head noted vouches for. One recorded by digest N or before
    and recorded again after it with other bytes is vouched for by the later digests alone, which
    anyone who can write the lake can append without a key: an object with a line of the case cut
    out, re-recorded so, passed with a NOTE that digests were written since (review EVID8). FAILED
    unless their signatures were verified (--public-key), as verify's changed-since-noted is; a late
    pull merging events into an hour after the head was noted does the same, and a head noted after
    it tells the two apart."""
    if at_head is None:
        return
    number = given['--expect-head'][0]
    again = [key for key in keys if key in at_head and at_head[key].get('sha256') != records.get(key, {}).get('sha256')]
    after = [key for key in keys if key not in at_head]
    if again and given.get('--public-key') is None:
        say('FAILED', '%d object(s) of the bundle were recorded again after the head noted (digest %d), with other'
            ' bytes, so only the digests after it vouch for them, which no key proves: %s%s; a later pull that merged'
            ' late events does so, and so does a rewrite: give a head noted after them, or --public-key to verify'
            ' who wrote those digests' % (len(again), number, ', '.join(again[:3]), ', ...' if len(again) > 3 else ''))
    if after:
        say('NOTE', '%d of the bundle\'s %d object(s) were first recorded after the head noted (digest %d): it does'
            ' not vouch for them%s' % (len(after), len(keys), number, '' if given.get('--public-key') is not None
                                       else '; their digests\' signatures do (--public-key)'))


def check_lake(lake, account, events_by_hour, quarantined_by_hour, given):
    instance = account['case']['instance']
    records, at_head = chain_records(os.path.join(lake, 'digest', 'instance=' + instance),
                                     given.get('--public-key'), given.get('--expect-head'))
    bad = 0
    for index, hour in enumerate(account['hours']):
        for field, kept in (('activity', events_by_hour[index]), ('coverage', None), ('quarantine', quarantined_by_hour[index])):
            read = hour.get(field)
            if read is None:
                continue
            path = os.path.join(lake, read['key'])
            if not os.path.isfile(path) or sha256_of(path) != (read['sha256'], read['bytes']):
                say('FAILED', path + ': missing, or not the SHA-256 and size hours.json gives')
                bad += 1
                continue
            if records is not None:
                record = records.get(read['key'])
                if record is None or record.get('how') == 'delete' or record.get('sha256') != read['sha256']:
                    say('FAILED', read['key'] + ': not what the digest chain last recorded of it')
                    bad += 1
            if kept is None:
                continue
            with gzip.open(path, 'rb') as f:
                stored = [raw[:-1] if raw.endswith(b'\n') else raw for raw in f]
            if len(stored) != read.get('lines'):
                say('FAILED', '%s: holds %d line(s), hours.json counts %r' % (read['key'], len(stored), read.get('lines')))
                bad += 1
            position = 0
            for line in kept:
                while position < len(stored) and stored[position] != line:
                    position += 1
                if position == len(stored):
                    say('FAILED', read['key'] + ': a line of the bundle is not in it, in its order')
                    bad += 1
                    break
                position += 1
            # A line of the case left out, its hour's count lowered with it, passed the rest.
            test = of_case(account['case'], field)
            left = Counter(line for line in stored if test is None or test(json.loads(line))) - Counter(kept)
            if left:
                say('FAILED', '%s: %d line(s) of the case in it are not lines of the bundle: left out'
                    % (read['key'], sum(left.values())))
                bad += 1
    if records is not None:
        check_head_vouches(at_head, records, [read['key'] for hour in account['hours']
                                              for read in (hour.get('activity'), hour.get('coverage'), hour.get('quarantine'))
                                              if read is not None], given)
    if bad == 0:
        say('OK', 'the objects hours.json names are in %s with its SHA-256 and size, and hold the bundle\'s lines,'
            ' and no other line of the case%s'
            % (lake, '' if records is None else ', and are what the digest chain last recorded of each'))
    if records is None:
        say('NOTE', 'no digest chain in %s (digest/instance=%s/): the objects were not held against it' % (lake, instance))


def options(argv):
    """{'--lake': DIR, '--public-key': KEY} as given (absolute), '--expect-head': (N, SHA256 or
    None, INSTANCE or None), or None when not as __doc__ says; ValueError saying why for an --expect-head not N or
    N=SHA256."""
    given = {}
    while argv:
        if len(argv) < 2 or argv[0] not in ('--lake', '--public-key', '--expect-head') or argv[0] in given:
            return None
        given[argv[0]] = expected_head(argv[1]) if argv[0] == '--expect-head' else os.path.abspath(argv[1])
        argv = argv[2:]
    if '--lake' not in given and len(given) > 0:
        return None
    return given


def main(argv):
    try:
        given = options(argv)
    except ValueError as error:
        print('FAILED: ' + str(error))
        return 2
    if given is None:
        print(__doc__)
        return 2
    lake = given.get('--lake')
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    other = check_head_instance(given.get('--expect-head'))
    if other is not None:
        print('FAILED: ' + other)
        return 2
    listed = check_sums()
    manifest = check_manifest(listed)
    with open('hours.json', encoding='utf-8') as f:
        account = json.load(f)
    user = account['case'].get('user_id')
    source = account['case'].get('address')
    check_hours(account, manifest)
    geo = Counter()
    events, event_ids = check_lines('events.ndjson', account, 'activity', user, True, lake is not None, geo, source)
    quarantined, _ = check_lines('quarantined.ndjson', account, 'quarantine', user, False, lake is not None)
    check_case(account, user, source)
    check_geo(manifest, geo)
    check_queries(manifest, event_ids, user)
    check_alert(manifest, event_ids, lake)
    if lake is not None:
        check_lake(lake, account, events, quarantined, given)
    note = unicode_note(manifest)
    if note is not None:
        say('NOTE', note)
    if lake is None:
        # Every file is the sender's: agreeing with each other, they may still all have been rewritten.
        say('NOTE', 'the files were held to each other only: a sender who left lines out and wrote every count and'
            ' list again passes that; python3 check.py --lake <copy of the lake> holds them to the lake'
            ' (README.txt, step 3)')
    print('%s: %d check(s) failed' % ('FAILED' if failed else 'OK', len(failed)))
    return 1 if failed else 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        # A file missing or not in its form (not JSON, not UTF-8, a field absent): fails closed.
        print('FAILED: stopped, a file of the bundle cannot be read as this script expects (%s: %s)'
              % (type(error).__name__, error))
        print('FAILED: %d check(s) failed, and the rest not made' % (len(failed) + 1))
        sys.exit(1)
`;
