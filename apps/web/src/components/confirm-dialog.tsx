/** A modal question with a confirm and a cancel button, on the native <dialog> element. */
import { type ReactNode, useEffect, useRef } from "react";

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="confirm-dialog-title" className="dialog-title">
        {props.title}
      </h2>
      <div className="dialog-body">{props.children}</div>
      <div className="dialog-actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={props.onCancel}
          disabled={props.busy}
        >
          Cancel
        </button>
        <button
          type="button"
          className={props.danger ? "button button-danger" : "button"}
          onClick={props.onConfirm}
          disabled={props.busy}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
