"""Import and export of an organization's hierarchy, and the starter templates.

* JSON: nested and lossless (names, descriptions, application names, a Transformation's input
  and output data), in the order of the tree. Exporting what was imported gives the same bytes.
* CSV: one row per leaf path, one column per level (and the Action's application).

An import is read and checked in full before anything is written: every problem is reported with
its line (CSV, malformed JSON) or its path in the file (JSON), and nothing is written unless the
whole file is valid. Into a tree that already has nodes, an import merges by name path (names
compare without regard to case): existing nodes are kept as they are and only what is missing is
added, and the report says what was added.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, func, select

from techledger.models import Action, Organization, Transformation
from techledger.models.hierarchy import DESCRIPTION_MAX, NAME_MAX
from techledger.services import audit
from techledger.services.actor import Actor
from techledger.services.errors import InvalidInput, NotFound
from techledger.services.hierarchy import (
    ACTION,
    APPLICATION_MAX,
    LEVELS,
    Level,
    _ids_in_org,
    _lock_parents,
)
from techledger.services.permissions import Permission

FORMAT = "techledger.hierarchy"
VERSION = 1
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_NODES = 20_000
MAX_REPORTED_ERRORS = 200
TEMPLATES_DIR = Path(__file__).parent / "templates"

# The JSON key holding each level's children ("children" is accepted too).
CHILD_KEYS: dict[str, str] = {
    level.key: level.child.key + "s" for level in LEVELS if level.child is not None
}
CSV_HEADER = [
    "System",
    "Department",
    "Practice Group",
    "Action Group",
    "Action",
    "Application",
    "Transformation",
]
_CSV_LEVEL_COLUMNS = [0, 1, 2, 3, 4, 6]  # column of each level, in level order
_NODE_KEYS = {"name", "description", "application_name", "input_data", "output_data", "children"}


class ImportRejected(InvalidInput):
    """The file was not imported; ``errors`` lists every problem, each with where it is."""

    def __init__(self, errors: list[str]) -> None:
        count = len(errors)
        shown = errors[:MAX_REPORTED_ERRORS]
        if count > len(shown):
            shown.append(f"... and {count - len(shown):,} more problems.")
        summary = f"The file was not imported: {count:,} problem{'s' if count != 1 else ''} found."
        super().__init__(summary + "\n" + "\n".join(shown))
        self.summary = summary
        self.errors = shown


@dataclass
class ImportNode:
    """One node read from a file, before it is written."""

    level: Level
    name: str
    where: str
    description: str | None = None
    application_name: str | None = None
    input_data: Any = None
    output_data: Any = None
    children: list[ImportNode] = field(default_factory=list)


# ---------------------------------------------------------------------------- reading files
def _decode(data: bytes, kind: str) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected(
            [
                f"The file is {len(data) / 1024 / 1024:.1f} MB; an import may be at most "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Split it into several files."
            ]
        )
    if not data.strip():
        raise ImportRejected([f"The {kind} file is empty."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [
                f"Line {line}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at "
                f"position {exc.start:,}). Save it as UTF-8 (in Excel: 'CSV UTF-8') and try again."
            ]
        ) from None
    return text


def _check_text(
    errors: list[str],
    where: str,
    value: Any,
    label: str,
    max_len: int,
    *,
    required: bool,
) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(f"{where}: {label} is empty; every node needs one.")
        return None
    if not isinstance(value, str):
        errors.append(f"{where}: {label} must be text, not {type(value).__name__}.")
        return None
    text = value.strip()
    if len(text) > max_len:
        errors.append(
            f"{where}: {label} is {len(text):,} characters long; at most {max_len:,} are allowed."
        )
        return None
    return text


def _check_siblings(errors: list[str], nodes: list[ImportNode], where: str) -> None:
    seen: dict[str, ImportNode] = {}
    for node in nodes:
        key = node.name.lower()
        if key in seen:
            errors.append(
                f"{node.where}: the name '{node.name}' is used twice under {where} "
                f"(also at {seen[key].where}); sibling names must differ."
            )
        else:
            seen[key] = node


def parse_json(data: bytes) -> list[ImportNode]:
    """The Systems of a JSON export, checked in full; raises ``ImportRejected`` listing every
    problem."""
    text = _decode(data, "JSON")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            [f"Line {exc.lineno}, column {exc.colno}: this is not valid JSON ({exc.msg})."]
        ) from None
    except RecursionError:
        raise ImportRejected(["The JSON is nested far too deeply to be a hierarchy."]) from None
    errors: list[str] = []
    if isinstance(document, list):
        systems = document
    elif isinstance(document, dict):
        fmt = document.get("format", FORMAT)
        if fmt != FORMAT:
            errors.append(f"$.format: expected '{FORMAT}', found '{fmt}'.")
        version = document.get("version", VERSION)
        if version != VERSION:
            errors.append(f"$.version: this app reads version {VERSION}, the file is {version}.")
        unknown = set(document) - {"format", "version", "systems", "template"}
        if unknown:
            errors.append(
                f"$: unknown key{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(sorted(repr(k) for k in unknown))}; expected 'systems'."
            )
        if "systems" not in document:
            errors.append("$: the 'systems' list is missing.")
        systems = document.get("systems", [])
    else:
        raise ImportRejected(
            ["$: the file must hold an object with a 'systems' list (as exported by TechLedger)."]
        )
    if not isinstance(systems, list):
        errors.append("$.systems: must be a list of Systems.")
        systems = []
    roots = _read_json_nodes(errors, systems, LEVELS[0], "$.systems")
    _check_siblings(errors, roots, "the organization")
    total = _count(roots)
    if total > MAX_IMPORT_NODES:
        errors.append(
            f"The file has {total:,} nodes; an import may add at most {MAX_IMPORT_NODES:,}."
        )
    if errors:
        raise ImportRejected(errors)
    return roots


def _read_json_nodes(errors: list[str], items: list, level: Level, where: str) -> list[ImportNode]:
    nodes: list[ImportNode] = []
    for index, item in enumerate(items):
        path = f"{where}[{index}]"
        if not isinstance(item, dict):
            errors.append(f"{path}: each {level.label} must be an object with a 'name'.")
            continue
        child_key = CHILD_KEYS.get(level.key)
        allowed = _NODE_KEYS | ({child_key} if child_key else set())
        list_keys = [k for k, v in item.items() if isinstance(v, list) and k not in allowed]
        if level.child is None and (list_keys or "children" in item):
            errors.append(
                f"{path}: the hierarchy is too deep here: a Transformation is the sixth and "
                "last level and cannot have children."
            )
            continue
        unknown = sorted(set(item) - allowed)
        if unknown:
            errors.append(
                f"{path}: unknown key{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(repr(k) for k in unknown)} for {level.article} {level.label}"
                + (f"; its children go in '{child_key}'." if child_key else ".")
            )
        name = _check_text(
            errors, f"{path}.name", item.get("name"), "the name", NAME_MAX, required=True
        )
        node = ImportNode(level=level, name=name or "", where=path)
        node.description = _check_text(
            errors,
            f"{path}.description",
            item.get("description"),
            "the description",
            DESCRIPTION_MAX,
            required=False,
        )
        if level is ACTION:
            node.application_name = _check_text(
                errors,
                f"{path}.application_name",
                item.get("application_name"),
                "the application name (e.g. 'Salesforce')",
                APPLICATION_MAX,
                required=True,
            )
        elif "application_name" in item:
            errors.append(f"{path}: only Actions have an application_name.")
        if level.child is None:
            for key in ("input_data", "output_data"):
                value = item.get(key)
                if value is not None and not isinstance(value, dict):
                    errors.append(f"{path}.{key}: must be an object (or left out).")
                else:
                    setattr(node, key, value)
        elif "input_data" in item or "output_data" in item:
            errors.append(f"{path}: only Transformations have input_data and output_data.")
        if child_key:
            children = item.get(child_key, item.get("children", []))
            key_used = child_key if child_key in item else "children"
            if not isinstance(children, list):
                errors.append(f"{path}.{key_used}: must be a list of {level.child.plural}.")
                children = []
            node.children = _read_json_nodes(errors, children, level.child, f"{path}.{key_used}")
            _check_siblings(errors, node.children, f"{path} ('{node.name}')")
        if name:
            nodes.append(node)
    return nodes


def parse_csv(data: bytes) -> list[ImportNode]:
    """The Systems of a CSV file (one row per leaf path), checked in full; raises
    ``ImportRejected`` listing every problem with its line."""
    text = _decode(data, "CSV")
    errors: list[str] = []
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportRejected([f"The CSV cannot be read: {exc}."]) from None
    header = [cell.strip() for cell in rows[0]] if rows else []
    if [h.lower() for h in header] != [h.lower() for h in CSV_HEADER]:
        extra = len(header) > len(CSV_HEADER) and [
            h.lower() for h in header[: len(CSV_HEADER)]
        ] == [h.lower() for h in CSV_HEADER]
        hint = (
            " The hierarchy has six levels; columns after 'Transformation' would be too deep."
            if extra
            else ""
        )
        raise ImportRejected(
            [
                f"Line 1: the header must be exactly: {', '.join(CSV_HEADER)} "
                f"(found: {', '.join(header) or 'nothing'}).{hint}"
            ]
        )
    roots: list[ImportNode] = []
    index: dict[tuple[str, ...], ImportNode] = {}
    seen_rows: dict[tuple[str, ...], int] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(CSV_HEADER):
            errors.append(
                f"Line {line_no}: {len(row)} values but the header has {len(CSV_HEADER)} "
                "columns; the hierarchy is six levels deep at most."
            )
            continue
        cells = [cell.strip() for cell in row] + [""] * (len(CSV_HEADER) - len(row))
        names = [cells[col] for col in _CSV_LEVEL_COLUMNS]
        application = cells[5]
        depth = max((i for i, n in enumerate(names) if n), default=-1)
        gaps = [LEVELS[i].label for i in range(depth) if not names[i]]
        if gaps:
            errors.append(
                f"Line {line_no}: {', '.join(gaps)} {'is' if len(gaps) == 1 else 'are'} empty but "
                f"a deeper level is filled; fill every level from System down."
            )
            continue
        if application and depth < ACTION.depth:
            errors.append(f"Line {line_no}: an Application is given but no Action.")
            continue
        row_ok = True
        for i, name in enumerate(names[: depth + 1]):
            if len(name) > NAME_MAX:
                errors.append(
                    f"Line {line_no}: the {LEVELS[i].label} name is {len(name):,} characters "
                    f"long; at most {NAME_MAX} are allowed."
                )
                row_ok = False
        if depth >= ACTION.depth:
            if not application:
                errors.append(
                    f"Line {line_no}: the Action '{names[4]}' needs its Application "
                    "(e.g. Salesforce)."
                )
                row_ok = False
            elif len(application) > APPLICATION_MAX:
                errors.append(
                    f"Line {line_no}: the Application is {len(application):,} characters long; "
                    f"at most {APPLICATION_MAX} are allowed."
                )
                row_ok = False
        if not row_ok:
            continue
        path_key = tuple(n.lower() for n in names[: depth + 1])
        if path_key in seen_rows:
            errors.append(
                f"Line {line_no}: the same path as line {seen_rows[path_key]}; "
                "each leaf path appears once."
            )
            continue
        seen_rows[path_key] = line_no
        siblings = roots
        for i in range(depth + 1):
            key = path_key[: i + 1]
            node = index.get(key)
            if node is None:
                node = ImportNode(level=LEVELS[i], name=names[i], where=f"Line {line_no}")
                if LEVELS[i] is ACTION:
                    node.application_name = application
                index[key] = node
                siblings.append(node)
            elif LEVELS[i] is ACTION and node.application_name != application:
                errors.append(
                    f"Line {line_no}: the Action '{names[i]}' has the Application "
                    f"'{application}' here but '{node.application_name}' on an earlier line."
                )
            siblings = node.children
    total = _count(roots)
    if total > MAX_IMPORT_NODES:
        errors.append(
            f"The file has {total:,} nodes; an import may add at most {MAX_IMPORT_NODES:,}."
        )
    if not roots and not errors:
        errors.append("The CSV has a header but no rows.")
    if errors:
        raise ImportRejected(errors)
    return roots


def parse_file(filename: str, data: bytes) -> list[ImportNode]:
    """Read an import file; its format comes from its extension (.json or .csv)."""
    kind = file_format(filename)
    return parse_json(data) if kind == "json" else parse_csv(data)


def file_format(filename: str) -> str:
    """``"json"`` or ``"csv"`` from a file name; anything else is refused."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in (".json", ".csv"):
        raise InvalidInput(
            f"'{filename}' is neither a .json nor a .csv file; export one from TechLedger "
            "to see the expected format.",
            field="file",
        )
    return suffix[1:]


def _count(nodes: list[ImportNode]) -> int:
    return sum(1 + _count(n.children) for n in nodes)


# ---------------------------------------------------------------------------- writing the tree
def _existing(session: Session, actor: Actor) -> dict[Level, dict[str, list[tuple[str, str]]]]:
    """For each level: parent id -> [(row id, name)], in order."""
    out: dict[Level, dict[str, list[tuple[str, str]]]] = {}
    for level in LEVELS:
        model = level.model
        rows = session.exec(
            select(model.id, level.parent_column, model.name)
            .where(model.id.in_(_ids_in_org(level, actor.organization_id)))
            .order_by(level.parent_column, model.order)
        ).all()
        by_parent: dict[str, list[tuple[str, str]]] = {}
        for row_id, parent_id, name in rows:
            by_parent.setdefault(parent_id, []).append((row_id, name))
        out[level] = by_parent
    return out


def import_nodes(
    *,
    session: Session,
    actor: Actor,
    roots: list[ImportNode],
    dry_run: bool = False,
    source: str = "file",
) -> dict[str, Any]:
    """Merge parsed nodes into the organization's tree by name path. Returns what was (or, with
    ``dry_run``, would be) added: counts per level, the paths of the added subtrees, and how many
    nodes were already there."""
    actor.require(Permission.MANAGE_HIERARCHY)
    existing = _existing(session, actor)
    added: list[Any] = []
    added_by_level = {level.key: 0 for level in LEVELS}
    added_paths: list[str] = []
    matched = 0
    touched_parents: dict[Level, set[str]] = {}
    next_order: dict[tuple[Level, str], int] = {}

    def walk(nodes: list[ImportNode], parent_id: str | None, path: str, is_new: bool) -> None:
        nonlocal matched
        for node in nodes:
            level = node.level
            row_parent = parent_id or actor.organization_id
            found = None
            if not is_new:
                found = next(
                    (
                        (row_id, name)
                        for row_id, name in existing[level].get(row_parent, [])
                        if name.lower() == node.name.lower()
                    ),
                    None,
                )
            if found is not None:
                matched += 1
                walk(node.children, found[0], f"{path} > {found[1]}" if path else found[1], False)
                continue
            node_path = f"{path} > {node.name}" if path else node.name
            if not is_new:
                touched_parents.setdefault(level, set()).add(row_parent)
                if len(added_paths) < 50:
                    added_paths.append(node_path)
            key = (level, row_parent)
            if key not in next_order:
                next_order[key] = len(existing[level].get(row_parent, []))
            fields: dict[str, Any] = {
                level.parent_field: row_parent,
                "name": node.name,
                "description": node.description,
                "order": next_order[key],
            }
            next_order[key] += 1
            if level is ACTION:
                fields["application_name"] = node.application_name
            if level.child is None:
                fields["input_data"] = node.input_data
                fields["output_data"] = node.output_data
            row = level.model(**fields)
            added.append(row)
            added_by_level[level.key] += 1
            walk(node.children, row.id, node_path, True)

    if not dry_run:  # Systems' parent first, then (below) each level's parents, top down
        _lock_parents(session, LEVELS[0], [actor.organization_id])
    walk(roots, None, "", False)
    if not dry_run and added:
        for level, parents in sorted(touched_parents.items(), key=lambda item: item[0].depth):
            if level.depth:
                _lock_parents(session, level, parents)
            # Siblings added since the tree was read (before the locks) keep their places:
            # the new nodes go after them.
            for parent_id in parents:
                now = int(
                    session.exec(
                        select(func.count())
                        .select_from(level.model)
                        .where(level.parent_column == parent_id)
                    ).one()
                )
                shift = now - len(existing[level].get(parent_id, []))
                if shift:
                    for row in added:
                        if (
                            isinstance(row, level.model)
                            and getattr(row, level.parent_field) == parent_id
                        ):
                            row.order += shift
        for level in LEVELS:  # parents first: rows of a level are flushed together
            session.add_all([row for row in added if isinstance(row, level.model)])
            session.flush()
        audit.record(
            session=session,
            action="hierarchy.imported",
            organization_id=actor.organization_id,
            actor_id=actor.user_id,
            target_type="organization",
            target_id=actor.organization_id,
            details={"source": source, "added": len(added)},
        )
    total_added = len(added)
    return {
        "dry_run": dry_run,
        "added": total_added,
        "added_by_level": added_by_level,
        "already_there": matched,
        "added_paths": added_paths,
        "summary": _import_summary(total_added, added_by_level, matched, dry_run),
    }


def _import_summary(total: int, by_level: dict[str, int], matched: int, dry_run: bool) -> str:
    if not total:
        return f"Nothing to add: all {matched:,} nodes are already in the tree."
    parts = [
        f"{count:,} {level.label if count == 1 else level.plural}"
        for level in LEVELS
        if (count := by_level[level.key])
    ]
    verb = "Would add" if dry_run else "Added"
    text = f"{verb} {total:,} node{'s' if total != 1 else ''} ({', '.join(parts)})"
    return text + (f"; {matched:,} were already there." if matched else ".")


def import_file(
    *, session: Session, actor: Actor, filename: str, data: bytes, dry_run: bool = False
) -> dict[str, Any]:
    """Check a whole .json or .csv file, then merge it into the tree (nothing written on any
    error, or with ``dry_run``)."""
    actor.require(Permission.MANAGE_HIERARCHY)
    roots = parse_file(filename, data)
    return import_nodes(
        session=session, actor=actor, roots=roots, dry_run=dry_run, source=Path(filename).name
    )


# ---------------------------------------------------------------------------- export
def export_tree(*, session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The organization's Systems as nested dicts (the ``systems`` list of a JSON export)."""
    actor.require(Permission.READ)
    by_parent: dict[Level, dict[str, list[dict[str, Any]]]] = {}
    for level in reversed(LEVELS):
        model = level.model
        columns = [model.id, level.parent_column, model.name, model.description]
        if level is ACTION:
            columns.append(Action.application_name)
        if level.child is None:
            columns += [Transformation.input_data, Transformation.output_data]
        rows = session.exec(
            select(*columns)
            .where(model.id.in_(_ids_in_org(level, actor.organization_id)))
            .order_by(level.parent_column, model.order, model.created_at)
        ).all()
        grouped: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            item: dict[str, Any] = {"name": row[2]}
            if row[3]:
                item["description"] = row[3]
            if level is ACTION:
                item["application_name"] = row[4]
            if level.child is None:
                if row[4] is not None:
                    item["input_data"] = row[4]
                if row[5] is not None:
                    item["output_data"] = row[5]
            else:
                children = by_parent[level.child].get(row[0], [])
                if children:
                    item[CHILD_KEYS[level.key]] = children
            grouped.setdefault(row[1], []).append(item)
        by_parent[level] = grouped
    return by_parent[LEVELS[0]].get(actor.organization_id, [])


def export_json(*, session: Session, actor: Actor) -> bytes:
    """The whole tree as a JSON document that ``import_file`` reads back unchanged."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "systems": export_tree(session=session, actor=actor),
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def export_csv(*, session: Session, actor: Actor) -> bytes:
    """The tree as CSV: one row per leaf path (names and applications; descriptions are in the
    JSON export only)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)

    def walk(items: list[dict[str, Any]], depth: int, prefix: list[str], app: str) -> None:
        level = LEVELS[depth]
        for item in items:
            names = [*prefix, item["name"]]
            application = item.get("application_name", app)
            children = item.get(CHILD_KEYS.get(level.key, ""), [])
            if children:
                walk(children, depth + 1, names, application)
            else:
                cells = names + [""] * (6 - len(names))
                writer.writerow([*cells[:5], application, cells[5]])

    walk(export_tree(session=session, actor=actor), 0, [], "")
    return out.getvalue().encode("utf-8")


def export_file(*, session: Session, actor: Actor, filename: str) -> bytes:
    """The export in the format named by ``filename``'s extension."""
    kind = file_format(filename)
    return (export_json if kind == "json" else export_csv)(session=session, actor=actor)


def export_filename(*, session: Session, actor: Actor, kind: str) -> str:
    """A download name like ``acme-hierarchy.json``."""
    org = session.get(Organization, actor.organization_id)
    return f"{org.slug if org else 'organization'}-hierarchy.{kind}"


# ---------------------------------------------------------------------------- templates
def list_templates() -> list[dict[str, Any]]:
    """The starter templates: slug, title, summary and how many nodes each adds."""
    out = []
    for path in sorted(TEMPLATES_DIR.glob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        info = document.get("template", {})
        roots = parse_json(path.read_bytes())
        out.append(
            {
                "slug": path.stem,
                "title": info.get("title", path.stem),
                "summary": info.get("summary", ""),
                "nodes": _count(roots),
            }
        )
    return sorted(out, key=lambda t: t.get("title") or "")


def apply_template(*, session: Session, actor: Actor, slug: str) -> dict[str, Any]:
    """Merge a starter template into the organization's tree."""
    actor.require(Permission.MANAGE_HIERARCHY)
    path = TEMPLATES_DIR / f"{slug}.json"
    if not slug.replace("-", "").isalnum() or not path.is_file():
        raise NotFound(f"No template named '{slug}'.")
    roots = parse_json(path.read_bytes())
    return import_nodes(session=session, actor=actor, roots=roots, source=f"template:{slug}")
