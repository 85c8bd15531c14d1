import type { ChatMode, ModelsResponse } from "../../lib/types";

interface ChatControlsProps {
  models: ModelsResponse | undefined;
  mode: ChatMode;
  model: string | undefined;
  onMode: (mode: ChatMode) => void;
  onModel: (model: string) => void;
  disabled?: boolean;
}

const modeLabels: Record<ChatMode, string> = { chat: "Chat", extreme: "Research" };

/** Mode (chat or research) and model, from GET /api/models; models outside the plan are shown locked. */
export function ChatControls({ models, mode, model, onMode, onModel, disabled }: ChatControlsProps) {
  const usable = (models?.models ?? []).filter((entry) => entry.modes.includes(mode));
  const locked = (models?.lockedModels ?? []).filter((entry) => entry.modes.includes(mode));
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <label className="flex items-center gap-1">
        <span className="hidden sm:inline">Mode</span>
        <select
          aria-label="Mode"
          className="input w-auto py-1"
          value={mode}
          disabled={disabled}
          onChange={(event) => onMode(event.target.value as ChatMode)}
        >
          {(models?.modes ?? ["chat", "extreme"]).map((entry) => (
            <option key={entry} value={entry}>
              {modeLabels[entry]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex min-w-0 items-center gap-1">
        <span className="hidden sm:inline">Model</span>
        <select
          aria-label="Model"
          className="input w-auto min-w-0 max-w-[14rem] truncate py-1"
          value={model ?? ""}
          disabled={disabled || !models}
          onChange={(event) => onModel(event.target.value)}
        >
          {usable.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.label}
            </option>
          ))}
          {locked.map((entry) => (
            <option key={entry.id} value={entry.id} disabled>
              {entry.label} (locked: needs Pro)
            </option>
          ))}
        </select>
      </label>
      {locked.length > 0 && (
        <span className="hidden text-xs text-muted-foreground sm:inline">
          Locked models need Pro: more capable answers and higher limits.
        </span>
      )}
    </div>
  );
}
