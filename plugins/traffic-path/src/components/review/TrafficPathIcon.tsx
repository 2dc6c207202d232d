/*
 * The sidebar icon: a path from a source through two hops to a target,
 * drawn in the current colour so it follows the sidebar's theme.
 */
import SvgIcon, { SvgIconProps } from '@mui/material/SvgIcon';

export function TrafficPathIcon(props: SvgIconProps) {
  return (
    <SvgIcon {...props}>
      <path d="M4 3a3 3 0 0 1 1 5.83V11h6a3 3 0 0 1 3 3v1.17a3 3 0 1 1-2 0V14a1 1 0 0 0-1-1H5v2.17a3 3 0 1 1-2 0V8.83A3 3 0 0 1 4 3Zm0 2a1 1 0 1 0 0 2 1 1 0 0 0 0-2Zm0 12a1 1 0 1 0 0 2 1 1 0 0 0 0-2Zm9 0a1 1 0 1 0 0 2 1 1 0 0 0 0-2ZM17 3h4v4h-2V6.41l-3.3 3.3-1.4-1.42L17.58 5H17V3Z" />
    </SvgIcon>
  );
}
