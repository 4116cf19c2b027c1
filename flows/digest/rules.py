"""Alert rules and subscriptions as data (TOML), validated with errors that name the file, rule and field.

A rule says which facts a researcher wants; a subscription says which rules go where and how often:

    [[rule]]
    name = "big-benelux-fines"
    kinds = ["fine"]                                  # claim kinds of the fact contract
    countries = ["NL", "BE", "LU"]                    # country of the claimant (the fining authority, ...)
    min_amount = { value = 1_000_000, currency = "EUR" }
    articles = ["GDPR Art. 6(1)(f)"]                  # a citation or a prefix of one ("GDPR Art. 6")
    actors = ["Meta", "TikTok"]                       # claimant or target; canonical name or alias
    basis = ["legitimate_interest"]
    languages = ["nl", "en"]

    [[subscription]]
    name = "benelux"
    rules = ["big-benelux-fines"]
    to = ["researcher@example.org"]                   # e-mail address(es), a directory, or "stdout"
    schedule = "daily"                                # daily | weekly | a cron expression
    format = ["html", "text"]

All filters of a rule must hold (AND); the values inside one filter are alternatives (OR).
"""
from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_RULES_FILE = Path(__file__).resolve().parent / "rules.toml"

CLAIM_KINDS = ("legal_basis", "article_citation", "fine", "complaint", "cease_and_desist", "class_action",
               "objection", "court_ruling", "investigation", "violation", "appeal", "order", "reprimand", "other")
BASES = ("consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interest",
         "no_legal_basis")
LANGUAGES = ("nl", "en")
FORMATS = ("html", "text")
COUNTRY_OF = ("claimant", "target", "either")
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_COUNTRY_RE = re.compile(r"^([A-Z]{2})$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")

RULE_FIELDS = {"name", "description", "kinds", "countries", "country_of", "min_amount", "articles", "actors",
               "basis", "statuses", "languages"}
SUBSCRIPTION_FIELDS = {"name", "rules", "to", "schedule", "format", "report"}


class RulesError(ValueError):
    """A broken rules file. The message names the file, the rule or subscription, and the field."""

    def __init__(self, path: Path | str, where: str, fieldname: str | None, problem: str):
        self.path, self.where, self.field, self.problem = Path(path), where, fieldname, problem
        at = f"{where}, field {fieldname!r}" if fieldname else where
        super().__init__(f"{path}: {at}: {problem}")


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str


@dataclass(frozen=True)
class Rule:
    name: str
    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    country_of: str = "claimant"
    min_amount: Amount | None = None
    articles: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Subscription:
    name: str
    rules: tuple[str, ...]
    to: tuple[str, ...]
    schedule: str = "daily"
    format: tuple[str, ...] = ("html", "text")
    report: bool = False          # link the overview report (default: on for weekly subscriptions)

    @property
    def wants_report(self) -> bool:
        return self.report or self.schedule == "weekly"


@dataclass
class RuleSet:
    path: Path
    rules: dict[str, Rule] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)

    def rule(self, name: str) -> Rule:
        if name not in self.rules:
            raise RulesError(self.path, f"rule {name!r}", None,
                             f"no such rule; known rules: {', '.join(sorted(self.rules)) or '(none)'}")
        return self.rules[name]

    def subscription(self, name: str) -> Subscription:
        if name not in self.subscriptions:
            raise RulesError(self.path, f"subscription {name!r}", None,
                             "no such subscription; known subscriptions: "
                             f"{', '.join(sorted(self.subscriptions)) or '(none)'}")
        return self.subscriptions[name]

    def rules_of(self, sub: Subscription) -> list[Rule]:
        return [self.rules[r] for r in sub.rules]

    @property
    def default_subscription(self) -> Subscription:
        """The subscription named 'default', else the first one in the file."""
        if not self.subscriptions:
            raise RulesError(self.path, "file", "subscription", "no [[subscription]] defined")
        return self.subscriptions.get("default") or next(iter(self.subscriptions.values()))


def rules_path(settings) -> Path:
    return Path(settings.rules_file) if settings.rules_file else DEFAULT_RULES_FILE


def load_rules(path: Path | str) -> RuleSet:
    """Read and validate a rules file. Raises RulesError naming the file, rule and field."""
    path = Path(path)
    if not path.exists():
        raise RulesError(path, "file", None, "does not exist; pass an existing rules file "
                         "(--rules / PRIVNEWS_RULES_FILE) or leave it unset for the bundled rules")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(path, "file", None, f"not valid TOML ({exc})") from exc
    return parse_rules(data, path)


def parse_rules(data: dict[str, Any], path: Path | str = "<rules>") -> RuleSet:
    path = Path(path)
    unknown = set(data) - {"rule", "subscription"}
    if unknown:
        raise RulesError(path, "file", sorted(unknown)[0],
                         "unknown top-level key; use [[rule]] and [[subscription]] tables")
    out = RuleSet(path=path)
    for i, raw in enumerate(_tables(data, "rule", path), start=1):
        rule = _parse_rule(raw, path, i)
        if rule.name in out.rules:
            raise RulesError(path, f"rule {rule.name!r}", "name", "defined twice; rule names must be unique")
        out.rules[rule.name] = rule
    for i, raw in enumerate(_tables(data, "subscription", path), start=1):
        sub = _parse_subscription(raw, path, i, out.rules)
        if sub.name in out.subscriptions:
            raise RulesError(path, f"subscription {sub.name!r}", "name",
                             "defined twice; subscription names must be unique")
        out.subscriptions[sub.name] = sub
    return out


def _tables(data: dict, key: str, path: Path) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise RulesError(path, "file", key, f"must be an array of tables, written [[{key}]]")
    return value


def _where(kind: str, raw: dict, index: int) -> str:
    name = raw.get("name")
    return f"{kind} {name!r}" if isinstance(name, str) and name else f"{kind} #{index}"


def _name(raw: dict, path: Path, where: str) -> str:
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise RulesError(path, where, "name", "required: lowercase letters, digits, '-', '_' or '.', "
                         f"at most 64 characters (got {name!r})")
    return name


def _strings(raw: dict, key: str, path: Path, where: str, allowed: tuple[str, ...] | None = None,
             pattern: re.Pattern | None = None, hint: str = "") -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(path, where, key, f"must be a list of non-empty strings (got {value!r})")
    for v in value:
        if allowed is not None and v not in allowed:
            raise RulesError(path, where, key, f"{v!r} is not one of: {', '.join(allowed)}")
        if pattern is not None and not pattern.match(v):
            raise RulesError(path, where, key, f"{v!r} is not valid{hint}")
    return tuple(dict.fromkeys(v.strip() for v in value))


def _parse_rule(raw: dict, path: Path, index: int) -> Rule:
    where = _where("rule", raw, index)
    unknown = set(raw) - RULE_FIELDS
    if unknown:
        raise RulesError(path, where, sorted(unknown)[0],
                         f"unknown field; allowed fields: {', '.join(sorted(RULE_FIELDS))}")
    name = _name(raw, path, where)
    min_amount = None
    if "min_amount" in raw:
        m = raw["min_amount"]
        if not isinstance(m, dict) or set(m) != {"value", "currency"}:
            raise RulesError(path, where, "min_amount",
                             'must be a table { value = 1_000_000, currency = "EUR" }')
        if isinstance(m["value"], bool) or not isinstance(m["value"], (int, float)) or m["value"] < 0:
            raise RulesError(path, where, "min_amount.value", f"must be a number >= 0 (got {m['value']!r})")
        if not isinstance(m["currency"], str) or not _CURRENCY_RE.match(m["currency"]):
            raise RulesError(path, where, "min_amount.currency",
                             f"must be an ISO 4217 code such as EUR, USD, GBP (got {m['currency']!r})")
        min_amount = Amount(float(m["value"]), m["currency"])
    country_of = raw.get("country_of", "claimant")
    if country_of not in COUNTRY_OF:
        raise RulesError(path, where, "country_of", f"{country_of!r} is not one of: {', '.join(COUNTRY_OF)}")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise RulesError(path, where, "description", "must be a string")
    rule = Rule(
        name=name,
        kinds=_strings(raw, "kinds", path, where, allowed=CLAIM_KINDS),
        countries=_strings(raw, "countries", path, where, pattern=_COUNTRY_RE,
                           hint=": use ISO 3166-1 alpha-2 codes in capitals, e.g. NL, BE, LU (EU for EU bodies)"),
        country_of=country_of,
        min_amount=min_amount,
        articles=_strings(raw, "articles", path, where),
        actors=_strings(raw, "actors", path, where),
        basis=_strings(raw, "basis", path, where, allowed=BASES),
        statuses=_strings(raw, "statuses", path, where),
        languages=_strings(raw, "languages", path, where, allowed=LANGUAGES),
        description=description,
    )
    if not rule.kinds:
        raise RulesError(path, where, "kinds", f"required: at least one of {', '.join(CLAIM_KINDS)}")
    return rule


def _parse_subscription(raw: dict, path: Path, index: int, rules: dict[str, Rule]) -> Subscription:
    where = _where("subscription", raw, index)
    unknown = set(raw) - SUBSCRIPTION_FIELDS
    if unknown:
        raise RulesError(path, where, sorted(unknown)[0],
                         f"unknown field; allowed fields: {', '.join(sorted(SUBSCRIPTION_FIELDS))}")
    name = _name(raw, path, where)
    names = _strings(raw, "rules", path, where)
    if not names:
        raise RulesError(path, where, "rules", "required: the names of one or more [[rule]]s")
    for r in names:
        if r not in rules:
            raise RulesError(path, where, "rules", f"{r!r} is not a rule defined in this file "
                             f"(known: {', '.join(sorted(rules)) or 'none'})")
    to = _strings(raw, "to", path, where)
    if not to:
        raise RulesError(path, where, "to", 'required: e-mail addresses, a directory path, or "stdout"')
    for t in to:
        if "@" in t and not _EMAIL_RE.match(t):
            raise RulesError(path, where, "to", f"{t!r} looks like an e-mail address but is not a valid one")
    schedule = raw.get("schedule", "daily")
    if not isinstance(schedule, str) or not _valid_schedule(schedule):
        raise RulesError(path, where, "schedule",
                         f'must be "daily", "weekly" or a 5-field cron expression such as "0 7 * * 1-5" '
                         f"(got {schedule!r})")
    fmt = _strings(raw, "format", path, where, allowed=FORMATS) if "format" in raw else ("html", "text")
    if not fmt:
        raise RulesError(path, where, "format", "must name at least one of html, text")
    report = raw.get("report", False)
    if not isinstance(report, bool):
        raise RulesError(path, where, "report", "must be true or false")
    return Subscription(name=name, rules=names, to=to, schedule=schedule, format=fmt, report=report)


_CRON_FIELDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_CRON_NAMES = ({}, {}, {}, {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)},
    {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))})


def _valid_schedule(schedule: str) -> bool:
    """daily | weekly | a standard 5-field cron expression (numbers, names, *, ranges, lists, steps)."""
    if schedule in ("daily", "weekly"):
        return True
    fields = schedule.split()
    if len(fields) != 5:
        return False
    for text, (lo, hi), names in zip(fields, _CRON_FIELDS, _CRON_NAMES):
        for part in text.lower().split(","):
            base, _, step = part.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                return False
            if base == "*":
                continue
            bounds = base.split("-")
            if len(bounds) > 2:
                return False
            values = [names.get(b, int(b) if b.isdigit() else None) for b in bounds]
            if any(v is None or not lo <= v <= hi for v in values) or (len(values) == 2 and values[0] > values[1]):
                return False
    return True


def cron_of(sub: Subscription, settings) -> str:
    """The cron expression `privnews serve` schedules this subscription with."""
    if sub.schedule == "daily":
        return settings.schedule.daily_digest_cron
    if sub.schedule == "weekly":
        return settings.schedule.weekly_digest_cron
    return sub.schedule
