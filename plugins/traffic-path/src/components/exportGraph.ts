/*
 * SVG and PNG of the drawn graph, for onboarding docs. The SVG is the
 * drawing itself with the zoom reset, on the theme's ground that the SVG
 * holds; the PNG is that SVG rasterised.
 */

export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.querySelector('.tp-canvas')?.removeAttribute('transform');
  // The whole drawing at natural size, whatever the zoom on the page.
  const width = Number(svg.getAttribute('data-width')) || 800;
  const height = Number(svg.getAttribute('data-height')) || 200;
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  copy.removeAttribute('style');
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // Focus outlines and titles are for the page, not for the picture.
  copy
    .querySelectorAll('[tabindex]')
    .forEach(n => n.removeAttribute('tabindex'));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(
    copy,
  )}`;
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
