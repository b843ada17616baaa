/**
 * The second step of a delete, or of another change that cannot be taken back:
 * says what goes, then does it (`confirmLabel`) or cancels; focus starts on the confirm.
 */
export function ConfirmDelete({
  id,
  text,
  onDelete,
  onCancel,
  confirmLabel = "Delete for good",
}: {
  id: string;
  text: string;
  onDelete(): void;
  onCancel(): void;
  confirmLabel?: string;
}) {
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={id}>
      <p id={id}>{text}</p>
      <button type="button" className="danger" autoFocus onClick={onDelete}>
        {confirmLabel}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
