import { parseDocuments } from './parse';

describe('parseDocuments', () => {
  it('reads typed lists whose items lack kind, and records the listed kind', () => {
    const r = parseDocuments(
      'svc.json',
      JSON.stringify({
        kind: 'ServiceList',
        apiVersion: 'v1',
        items: [{ metadata: { name: 'a', namespace: 'x' } }],
      }),
    );
    expect(r.objects.map(o => [o.kind, o.metadata.name])).toEqual([
      ['Service', 'a'],
    ]);
    expect([...r.listedKinds]).toEqual(['Service']);
    expect(r.errors).toEqual([]);
  });

  it('reads multi-document YAML, skipping empty documents', () => {
    const r = parseDocuments(
      'm.yaml',
      'kind: Pod\nmetadata: {name: p}\n---\n---\nkind: Node\nmetadata: {name: n}\n',
    );
    expect(r.objects.map(o => o.kind)).toEqual(['Pod', 'Node']);
  });

  it('reads bare arrays named after their kind, and objects grouped by kind', () => {
    expect(
      parseDocuments('dumps/services.json', '[{"metadata":{"name":"a"}}]')
        .objects[0].kind,
    ).toBe('Service');
    const grouped = parseDocuments(
      'f.json',
      '{"ingresses":[{"metadata":{"name":"i"}}],"pods":[]}',
    );
    expect(grouped.objects.map(o => o.kind)).toEqual(['Ingress']);
    expect([...grouped.listedKinds].sort()).toEqual(['Ingress', 'Pod']);
  });

  it('names the file, the item and the field of a malformed object, and keeps the others', () => {
    const r = parseDocuments(
      'bad.yaml',
      'kind: List\nitems:\n- kind: Service\n  metadata: {namespace: x}\n- kind: Service\n  metadata: {name: ok}\n',
    );
    expect(r.objects.map(o => o.metadata.name)).toEqual(['ok']);
    expect(r.errors).toEqual([
      {
        source: 'bad.yaml',
        item: 'item 0, Service',
        field: 'metadata.name',
        message: 'Service has no metadata.name',
      },
    ]);
  });

  it('reports fields of the wrong type and keeps the object', () => {
    const r = parseDocuments(
      'ing.json',
      JSON.stringify({
        kind: 'Ingress',
        metadata: { name: 'i', namespace: 'n' },
        spec: { tls: { hosts: ['a'] } },
      }),
    );
    expect(r.objects).toHaveLength(1);
    expect(r.errors).toEqual([
      expect.objectContaining({
        source: 'ing.json',
        field: 'spec.tls',
        message:
          'Ingress i: spec.tls should be an array, found an object; it is ignored',
      }),
    ]);
  });

  it('reports text that is neither JSON nor YAML', () => {
    const r = parseDocuments('x.yaml', 'kind: [unclosed');
    expect(r.objects).toEqual([]);
    expect(r.errors[0]).toMatchObject({
      source: 'x.yaml',
      message: expect.stringMatching(/^invalid YAML/),
    });
  });
});
