/*
 * SVG and PNG of the route, for onboarding docs. The SVG is the engine's
 * drawing (the same that the backend's diagram endpoint serves), in the
 * app's theme colours and with what the card shows: its width and whether
 * the pods are expanded; the PNG is that SVG rasterised.
 */
import { Route, routeToSvg } from '@internal/plugin-traffic-path-common';
import type { TrafficPathColours } from './colours';

/** The SVG document of a route as the card draws it (`drawn`: the card's graph, for its width and pods). */
export function svgText(
  route: Route,
  colours: TrafficPathColours,
  drawn?: SVGSVGElement | null,
): string {
  const width = Number(drawn?.getAttribute('data-available-width'));
  return routeToSvg(route, {
    palette: colours,
    width: Number.isFinite(width) && width > 0 ? width : undefined,
    expandedPods: drawn?.getAttribute('data-expanded-pods') === 'true',
  });
}

export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function pngBlob(svg: string, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = image.width * scale;
      canvas.height = image.height * scale;
      const context = canvas.getContext('2d');
      if (!context) {
        reject(new Error('no 2D canvas in this browser'));
        return;
      }
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(
        blob =>
          blob ? resolve(blob) : reject(new Error('the PNG could not be made')),
        'image/png',
      );
    };
    image.onerror = () => reject(new Error('the SVG could not be drawn'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
}
