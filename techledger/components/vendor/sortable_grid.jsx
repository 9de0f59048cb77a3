// A grid whose cards are put in a new order by dragging one onto another's place.
//
// Plain HTML drag-and-drop, delegated from the grid: a card is any child carrying
// `data-sort-id` and `draggable="true"`. While a card is dragged, the card under the pointer
// shows on which side it will land; the drop reports `{id, position}` (the 0-based place the
// card takes among all cards) and the server persists the order and sends the list again.
// The move buttons on each card stay the keyboard's way to do the same.
import { useRef } from "react";

const CARD = "[data-sort-id]";

function sideOf(event, card) {
  const box = card.getBoundingClientRect();
  return event.clientX > box.left + box.width / 2 ? "after" : "before";
}

export function SortableGrid({ onReorder, disabled, children, ...props }) {
  const dragged = useRef(null);
  const marked = useRef(null);

  const unmark = () => {
    if (marked.current) marked.current.classList.remove("drop-before", "drop-after");
    marked.current = null;
  };
  const cardOf = (event) => (disabled ? null : event.target.closest?.(CARD) ?? null);

  const onDragStart = (event) => {
    const card = cardOf(event);
    if (!card) return;
    dragged.current = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.sortId);
  };
  const onDragOver = (event) => {
    const card = cardOf(event);
    if (!dragged.current || !card) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    unmark();
    if (card === dragged.current) return;
    card.classList.add(sideOf(event, card) === "after" ? "drop-after" : "drop-before");
    marked.current = card;
  };
  const onDrop = (event) => {
    const card = cardOf(event);
    const source = dragged.current;
    unmark();
    if (!source || !card) return;
    event.preventDefault();
    const cards = Array.from(event.currentTarget.querySelectorAll(CARD));
    const from = cards.indexOf(source);
    let to = cards.indexOf(card) + (sideOf(event, card) === "after" ? 1 : 0);
    if (from < to) to -= 1;
    if (from !== to && from >= 0) onReorder?.({ id: source.dataset.sortId, position: to });
  };
  const onDragEnd = () => {
    unmark();
    dragged.current?.classList.remove("is-dragging");
    dragged.current = null;
  };

  return (
    <div
      {...props}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) unmark();
      }}
      onDrop={onDrop}
      onDragEnd={onDragEnd}
    >
      {children}
    </div>
  );
}
