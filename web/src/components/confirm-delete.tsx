/** The second step of a delete: says what goes, then deletes for good or cancels; focus starts on the delete. */
export function ConfirmDelete({ id, text, onDelete, onCancel }: { id: string; text: string; onDelete(): void; onCancel(): void }) {
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={id}>
      <p id={id}>{text}</p>
      <button type="button" className="danger" autoFocus onClick={onDelete}>
        Delete for good
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
