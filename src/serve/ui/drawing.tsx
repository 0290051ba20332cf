import dagre from '@dagrejs/dagre';
import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo, useState } from 'react';
import { flowHref, type GraphData } from './api';
import { Guard, useData } from './data';

const nodeWidth = 190;
const nodeHeight = 34;
const colours = { open: '#1a7f37', failing: '#cf222e', unproven: '#8c959f' } as const;

/** Lays the endpoints out left to right with dagre, each zone a cluster, and turns them into React Flow nodes. */
function layout(g: GraphData): { nodes: Node[]; edges: Edge[] } {
  const graph = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 70, marginx: 10, marginy: 10 });
  graph.setDefaultEdgeLabel(() => ({}));
  const zones = [...new Set(g.nodes.map((n) => n.zone))];
  for (const z of zones) graph.setNode(`zone:${z}`, { label: z, paddingTop: 30, paddingLeft: 12, paddingRight: 12, paddingBottom: 12 });
  for (const n of g.nodes) {
    graph.setNode(n.id, { width: nodeWidth, height: nodeHeight });
    graph.setParent(n.id, `zone:${n.zone}`);
  }
  for (const e of g.edges) if (e.source !== e.target) graph.setEdge(e.source, e.target);
  dagre.layout(graph);
  const nodes: Node[] = [];
  const boxes = new Map<string, { x: number; y: number }>();
  for (const z of zones) {
    const b = graph.node(`zone:${z}`) as { x: number; y: number; width: number; height: number };
    const x = b.x - b.width / 2;
    const y = b.y - b.height / 2 - 16;
    boxes.set(z, { x, y });
    nodes.push({ id: `zone:${z}`, type: 'group', position: { x, y }, data: { label: z }, style: { width: b.width, height: b.height + 16 }, className: 'zone', selectable: false });
    nodes.push({ id: `zone-label:${z}`, parentId: `zone:${z}`, position: { x: 8, y: 4 }, data: { label: `zone ${z}` }, className: 'zone-label', draggable: false, selectable: false, connectable: false });
  }
  for (const n of g.nodes) {
    const p = graph.node(n.id) as { x: number; y: number };
    const box = boxes.get(n.zone)!;
    nodes.push({
      id: n.id,
      parentId: `zone:${n.zone}`,
      extent: 'parent',
      position: { x: p.x - nodeWidth / 2 - box.x, y: p.y - nodeHeight / 2 - box.y },
      data: { label: n.members > 1 ? `${n.label} ×${n.members}` : n.label },
      className: 'endpoint',
      style: { width: nodeWidth },
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
    });
  }
  const edges: Edge[] = g.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    style: { stroke: colours[e.status], strokeWidth: e.status === 'failing' ? 2.5 : 1.5 },
    markerEnd: { type: MarkerType.ArrowClosed, color: colours[e.status] },
    className: `edge-${e.status}`,
    data: { status: e.status },
  }));
  return { nodes, edges };
}

export function DrawingPage() {
  const loaded = useData<GraphData>('/api/graph');
  return (
    <section className="drawing-page">
      <Guard loaded={loaded}>{(g) => <Drawing graph={g} />}</Guard>
    </section>
  );
}

function Drawing({ graph }: { graph: GraphData }) {
  const { nodes, edges } = useMemo(() => layout(graph), [graph]);
  const [picked, setPicked] = useState<{ kind: 'edge'; id: string } | { kind: 'node'; id: string } | undefined>();
  const edge = picked?.kind === 'edge' ? graph.edges.find((e) => e.id === picked.id) : undefined;
  const node = picked?.kind === 'node' ? graph.nodes.find((n) => n.id === picked.id) : undefined;
  return (
    <div className="drawing">
      <div className="canvas" data-testid="drawing">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          fitViewOptions={{ padding: 0.02 }}
          minZoom={0.05}
          nodesConnectable={false}
          onEdgeClick={(_, e) => { setPicked({ kind: 'edge', id: e.id }); }}
          onNodeClick={(_, n) => { if (!n.id.startsWith('zone')) setPicked({ kind: 'node', id: n.id }); }}
          proOptions={{ hideAttribution: true }}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      <aside className="details">
        {graph.folded && <p className="muted">Agents are folded into one node per zone and role.</p>}
        <p className="legend">
          <span className="status open">open</span> <span className="status failing">failing</span> <span className="status unproven">unproven</span> edge colour: the worst flow between the two
        </p>
        {!picked && <p className="muted">Click an edge or a host for details.</p>}
        {edge && (
          <div data-testid="edge-details">
            <h2>{edge.source} → {edge.target}</h2>
            <p>{edge.flows} flows: {edge.open} open, {edge.failing} failing, {edge.flows - edge.open - edge.failing} unproven</p>
            <ul>{edge.sample.map((id) => <li key={id}><a href={flowHref(id)}>{id.slice(id.lastIndexOf(':') + 1)}</a></li>)}</ul>
            {edge.flows > edge.sample.length && <a href={`#/matrix?host=${encodeURIComponent(edge.source)}`}>all flows in the matrix</a>}
          </div>
        )}
        {node && (
          <div>
            <h2>{node.label}</h2>
            <p>zone {node.zone}; roles {node.roles.join(', ')}{node.members > 1 ? `; ${node.members} endpoints` : ''}</p>
            <a href={`#/matrix?${node.members > 1 ? `zone=${encodeURIComponent(node.zone)}` : `host=${encodeURIComponent(node.id)}`}`}>its flows in the matrix</a>
          </div>
        )}
      </aside>
    </div>
  );
}
