import { useState } from 'react';
import Button from '@mui/material/Button';

/** Copies text to the clipboard and says so. */
export function CopyButton(props: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <Button
      size="small"
      variant="text"
      aria-label={props.label ?? 'Copy'}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(props.text);
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        } catch {
          setDone(false);
        }
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </Button>
  );
}
