// The hierarchy editor's tree: react-arborist with controlled data.
//
// The browser applies a legal drop or a rename at once (optimistic), then tells the server,
// which validates and persists it. When the server refuses, it sends the tree again (a new
// `version`), and this component replaces its local copy with the server's.
import { createContext, useContext, useEffect, useMemo, useRef, useState } from "react";
import { Tree } from "react-arborist";
import {
  Boxes,
  Building2,
  ChevronDown,
  ChevronRight,
  FolderKanban,
  Layers,
  MousePointerClick,
  Pencil,
  Plus,
  Shuffle,
  Trash2,
} from "lucide-react";

const LEVELS = [
  "system",
  "department",
  "practice_group",
  "action_group",
  "action",
  "transformation",
];
const LABELS = [
  "System",
  "Department",
  "Practice Group",
  "Action Group",
  "Action",
  "Transformation",
];
const ICONS = [Boxes, Building2, Layers, FolderKanban, MousePointerClick, Shuffle];
const ROW_HEIGHT = 34;
const INDENT = 22;

const TreeContext = createContext(null);

function depthOf(level) {
  return LEVELS.indexOf(level);
}

// Compact rows [depth, row id, parent position, name, app] -> nested data for react-arborist.
function buildTree(rows) {
  const items = new Array((rows || []).length);
  const roots = [];
  (rows || []).forEach((row, index) => {
    const [depth, rowId, parent, name, app] = row;
    const item = {
      id: LEVELS[depth] + ":" + rowId,
      name,
      level: LEVELS[depth],
      app: app || "",
      children: depth === LEVELS.length - 1 ? null : [],
    };
    items[index] = item;
    if (parent < 0) roots.push(item);
    else if (items[parent]) items[parent].children.push(item);
  });
  return roots;
}

function removeNode(items, id) {
  let removed = null;
  const out = [];
  for (const item of items) {
    if (item.id === id) {
      removed = item;
      continue;
    }
    if (item.children && item.children.length && !removed) {
      const [children, found] = removeNode(item.children, id);
      if (found) {
        removed = found;
        out.push({ ...item, children });
        continue;
      }
    }
    out.push(item);
  }
  return [out, removed];
}

function insertNode(items, parentId, index, node) {
  if (parentId === null) {
    const copy = items.slice();
    copy.splice(index, 0, node);
    return copy;
  }
  return items.map((item) => {
    if (item.id === parentId) {
      const children = (item.children || []).slice();
      children.splice(index, 0, node);
      return { ...item, children };
    }
    if (item.children && item.children.length) {
      return { ...item, children: insertNode(item.children, parentId, index, node) };
    }
    return item;
  });
}

function containsNode(items, id) {
  for (const item of items) {
    if (item.id === id) return true;
    if (item.children && item.children.length && containsNode(item.children, id)) return true;
  }
  return false;
}

function renameNode(items, id, name) {
  return items.map((item) => {
    if (item.id === id) return { ...item, name };
    if (item.children && item.children.length) {
      return { ...item, children: renameNode(item.children, id, name) };
    }
    return item;
  });
}

// Whether nodes of `level` may be dropped under `parentNode` (the root when null).
function legalDrop(level, parentNode) {
  const parentDepth = parentNode && !parentNode.isRoot ? depthOf(parentNode.data.level) : -1;
  return parentDepth === depthOf(level) - 1;
}

function useElementSize(ref) {
  const [size, setSize] = useState({ width: 600, height: 480 });
  useEffect(() => {
    if (!ref.current || typeof ResizeObserver === "undefined") return undefined;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0].contentRect;
      setSize({ width: Math.max(240, Math.floor(box.width)), height: Math.max(200, Math.floor(box.height)) });
    });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

function DropCursor({ top, left, indent }) {
  const ctx = useContext(TreeContext);
  const api = ctx && ctx.api.current;
  let legal = true;
  if (api && api.dragNodes && api.dragNodes.length) {
    const parentId = api.state.dnd.parentId;
    const parent = parentId ? api.get(parentId) : null;
    legal = legalDrop(api.dragNodes[0].data.level, parent);
  }
  return (
    <div
      className={"hier-drop-cursor" + (legal ? "" : " is-illegal")}
      data-legal={legal ? "true" : "false"}
      style={{ top: top - 2 + "px", left: left + "px", right: indent + "px" }}
    >
      <span className="hier-drop-dot" />
      <span className="hier-drop-line" />
      {legal ? null : <span className="hier-drop-label">Not allowed here</span>}
    </div>
  );
}

function NodeRow({ node, style, dragHandle }) {
  const ctx = useContext(TreeContext);
  // The row's buttons show on hover or selection only, so they are made only then: a big tree's
  // first screen draws two icons a row instead of five.
  const [hovered, setHovered] = useState(false);
  const data = node.data;
  const depth = depthOf(data.level);
  const Icon = ICONS[depth] || Boxes;
  const canAdd = !ctx.readOnly && depth < LEVELS.length - 1;
  const classes = ["hier-row", "level-" + data.level];
  if (node.isSelected) classes.push("is-selected");
  if (node.isFocused) classes.push("is-focused");
  if (node.state.willReceiveDrop) classes.push("will-receive-drop");
  if (node.isDragging) classes.push("is-dragging");
  return (
    <div
      ref={dragHandle}
      style={style}
      className={classes.join(" ")}
      data-node-id={data.id}
      data-level={data.level}
      data-name={data.name}
      title={LABELS[depth] + ": " + data.name}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
    >
      <span
        className={"hier-toggle" + (node.isInternal && data.children && data.children.length ? "" : " is-empty")}
        onClick={(e) => {
          e.stopPropagation();
          if (node.isInternal) node.toggle();
        }}
        aria-label={node.isOpen ? "Collapse" : "Expand"}
      >
        {node.isInternal && data.children && data.children.length ? (
          node.isOpen ? <ChevronDown size={14} /> : <ChevronRight size={14} />
        ) : null}
      </span>
      <span className={"hier-icon level-" + data.level}>
        <Icon size={15} />
      </span>
      {node.isEditing ? (
        <input
          className="hier-rename"
          autoFocus
          maxLength={200}
          defaultValue={data.name}
          aria-label={"New name of " + data.name}
          onFocus={(e) => e.currentTarget.select()}
          onClick={(e) => e.stopPropagation()}
          onBlur={() => node.reset()}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === "Enter") node.submit(e.currentTarget.value);
            if (e.key === "Escape") node.reset();
          }}
        />
      ) : (
        <span className="hier-name">{data.name}</span>
      )}
      {data.app ? <span className="hier-app">{data.app}</span> : null}
      {!ctx.readOnly && !node.isEditing && (hovered || node.isSelected) ? (
        <span className="hier-actions">
          {canAdd ? (
            <button
              type="button"
              className="hier-action"
              title={"Add " + LABELS[depth + 1]}
              aria-label={"Add " + LABELS[depth + 1] + " to " + data.name}
              onClick={(e) => {
                e.stopPropagation();
                ctx.onAddChild && ctx.onAddChild({ id: data.id });
              }}
            >
              <Plus size={14} />
            </button>
          ) : null}
          <button
            type="button"
            className="hier-action"
            title="Rename (Enter)"
            aria-label={"Rename " + data.name}
            onClick={(e) => {
              e.stopPropagation();
              node.edit();
            }}
          >
            <Pencil size={13} />
          </button>
          <button
            type="button"
            className="hier-action is-danger"
            title="Delete (Delete key)"
            aria-label={"Delete " + data.name}
            onClick={(e) => {
              e.stopPropagation();
              ctx.onDeleteRequest && ctx.onDeleteRequest({ id: data.id });
            }}
          >
            <Trash2 size={13} />
          </button>
        </span>
      ) : null}
    </div>
  );
}

export function HierarchyTree(props) {
  const {
    rows,
    version,
    readOnly,
    searchTerm,
    revealId,
    openAll,
    onMoveNode,
    onRenameNode,
    onSelectNode,
    onDeleteRequest,
    onAddChild,
    complete,
    onNeedRest,
    id,
    className,
  } = props;
  const [data, setData] = useState(() => buildTree(rows));
  const dataRef = useRef(data);
  dataRef.current = data;
  const firstRows = useRef(rows);
  useEffect(() => {
    if (rows === firstRows.current) return; // already built for the first render
    firstRows.current = null;
    setData(buildTree(rows));
  }, [rows, version]);
  const api = useRef(null);
  const box = useRef(null);
  useEffect(() => {
    // A big tree arrives in two parts: once the top levels are painted, ask for the rest.
    if (complete === false && onNeedRest) {
      const frame = requestAnimationFrame(() => setTimeout(() => onNeedRest(), 0));
      return () => cancelAnimationFrame(frame);
    }
    return undefined;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [complete, version]);
  const size = useElementSize(box);
  const lastSelected = useRef("");
  const pendingReveal = useRef("");
  useEffect(() => {
    pendingReveal.current = revealId || "";
  }, [revealId, version]);
  useEffect(() => {
    // After the server sent a tree with a new node in it: open its parents, show and select it.
    const target = pendingReveal.current;
    const tree = api.current;
    if (!target || !tree || !containsNode(data, target)) return;
    pendingReveal.current = "";
    lastSelected.current = target;
    Promise.resolve(tree.scrollTo(target)).then(() => {
      if (tree.get(target)) tree.select(target, { focus: true });
    });
  }, [data]);

  const initialOpenState = useMemo(() => {
    // Small trees start fully open, big ones with their Systems open. A node without children
    // starts closed, so a drop just below it lands beside it, not inside it.
    const list = rows || [];
    const hasChildren = new Set(list.map((r) => r[2]));
    const open = {};
    list.forEach((r, index) => {
      if (hasChildren.has(index) && (openAll || r[0] === 0)) open[LEVELS[r[0]] + ":" + r[1]] = true;
    });
    return open;
    // Only the first tree decides what starts open; later changes keep the reader's choice.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const ctx = useMemo(
    () => ({ api, readOnly: !!readOnly, onAddChild, onDeleteRequest }),
    [readOnly, onAddChild, onDeleteRequest],
  );

  const handleMove = ({ dragIds, dragNodes, parentId, parentNode, index }) => {
    const node = dragNodes[0];
    if (!node) return;
    const target = parentId === null ? null : parentId;
    const siblings = target === null ? dataRef.current : (parentNode && parentNode.data.children) || [];
    // react-arborist counts the slot with the dragged row still in place.
    let slot = Math.max(0, Math.min(index, siblings.length));
    let shift = 0;
    for (let i = 0; i < slot; i++) if (dragIds.includes(siblings[i].id)) shift++;
    const position = slot - shift;
    if (legalDrop(node.data.level, parentNode)) {
      setData((current) => {
        const [without, removed] = removeNode(current, node.id);
        return removed ? insertNode(without, target, position, removed) : current;
      });
    }
    // Legal or not, the server decides; a refusal comes back with a message and the tree.
    onMoveNode && onMoveNode({ node: node.id, parent: target || "", index: position });
  };

  const handleRename = ({ id: nodeId, name }) => {
    const clean = (name || "").trim();
    const current = api.current && api.current.get(nodeId);
    if (!clean || (current && current.data.name === clean)) return;
    setData((items) => renameNode(items, nodeId, clean));
    onRenameNode && onRenameNode({ node: nodeId, name: clean });
  };

  const handleSelect = (selected) => {
    const first = selected && selected[0];
    const nodeId = first ? first.id : "";
    if (nodeId && nodeId !== lastSelected.current) {
      lastSelected.current = nodeId;
      onSelectNode && onSelectNode({ node: nodeId });
    }
  };

  const handleDelete = ({ ids }) => {
    if (!readOnly && ids && ids[0]) onDeleteRequest && onDeleteRequest({ id: ids[0] });
  };

  return (
    <TreeContext.Provider value={ctx}>
      <div
        ref={box}
        id={id}
        className={"hier-tree " + (className || "") + (readOnly ? " is-read-only" : "")}
        data-version={version}
        data-count={(rows || []).length}
        onKeyDown={(e) => {
          const tree = api.current;
          if (!tree || tree.isEditing || readOnly) return;
          if (e.target instanceof Element && e.target.closest("input, textarea")) return;
          if (e.key === "Delete" && tree.focusedNode) {
            e.preventDefault();
            onDeleteRequest && onDeleteRequest({ id: tree.focusedNode.id });
          }
        }}
      >
        <Tree
          ref={api}
          data={data}
          width={size.width}
          height={size.height}
          rowHeight={ROW_HEIGHT}
          indent={INDENT}
          overscanCount={12}
          openByDefault={false}
          initialOpenState={initialOpenState}
          disableMultiSelection={true}
          selectionFollowsFocus={true}
          disableDrag={!!readOnly}
          disableDrop={!!readOnly}
          disableEdit={!!readOnly}
          searchTerm={searchTerm || ""}
          searchMatch={(node, term) => node.data.name.toLowerCase().includes(term.toLowerCase())}
          onMove={readOnly ? undefined : handleMove}
          onRename={readOnly ? undefined : handleRename}
          onDelete={readOnly ? undefined : handleDelete}
          onSelect={handleSelect}
          renderCursor={DropCursor}
          aria-label="Hierarchy"
        >
          {NodeRow}
        </Tree>
      </div>
    </TreeContext.Provider>
  );
}
