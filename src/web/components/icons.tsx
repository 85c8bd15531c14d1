// Small inline icons: no icon font or emoji, so they look the same on every system.
const common = {
  width: 16,
  height: 16,
  viewBox: "0 0 24 24",
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 2,
  strokeLinecap: "round" as const,
  strokeLinejoin: "round" as const,
  "aria-hidden": true,
};

export function PencilIcon() {
  return (
    <svg {...common}>
      <title>Edit</title>
      <path d="M12 20h9" />
      <path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4Z" />
    </svg>
  );
}

export function TrashIcon() {
  return (
    <svg {...common}>
      <title>Delete</title>
      <path d="M3 6h18" />
      <path d="M8 6V4h8v2" />
      <path d="M19 6l-1 14H6L5 6" />
    </svg>
  );
}

export function MenuIcon() {
  return (
    <svg {...common}>
      <title>Menu</title>
      <path d="M4 6h16M4 12h16M4 18h16" />
    </svg>
  );
}
