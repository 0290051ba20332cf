import type { Plan } from '../../plan/types.js';
import { deploymentGraph, type DeploymentGraph } from './diagram.js';
import type { RenderedFile, Target } from '../types.js';
import { lfText } from '../../text/lines.js';

export const dot: Target = {
  name: 'dot',
  summary: 'the deployment as a Graphviz graph: hosts clustered by zone (ten or more alike as one node), flows as edges labelled with ports (deployment.dot)',
  options: ['host'],
  render(plan: Plan, options): RenderedFile[] {
    return [{ path: 'deployment.dot', content: lfText(graphLines(deploymentGraph(plan, options))) }];
  },
};

function graphLines(graph: DeploymentGraph): string[] {
  return [
    '// Written by scomfw from the plan. Dashed edges: install only (can be closed after setup).',
    'digraph scom {',
    `  graph [rankdir=LR, labelloc=t, fontname="Helvetica", label=${quoted(graph.title)}];`,
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
    ...graph.zones.flatMap((z) => [
      `  subgraph cluster_${z.id} {`,
      `    label=${quoted(`zone ${z.name}`)};`,
      ...z.nodes.map((n) => `    ${n.id} [label=${quoted(`${n.name}\n${n.roles}`)}];`),
      '  }',
    ]),
    ...graph.edges.map((e) => `  ${e.from} -> ${e.to} [label=${quoted(e.label)}${e.installOnly ? ', style=dashed' : ''}];`),
    '}',
  ];
}

/**
 * A DOT double-quoted string holding `text`: backslashes doubled first (so no `\N`, `\G` or `\l` escape of
 * Graphviz takes effect), quotes escaped, line breaks written as `\n` and other control characters dropped.
 */
export function quoted(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, '\\n')
    .replace(/\p{Cc}/gu, ' ');
  return `"${escaped}"`;
}
