import type { Plan } from '../../plan/types.js';
import { deploymentGraph, type DeploymentGraph } from './diagram.js';
import type { RenderedFile, Target } from '../types.js';
import { lfText } from '../../text/lines.js';

export const mermaid: Target = {
  name: 'mermaid',
  summary: 'the deployment as a Mermaid flowchart: hosts by zone (ten or more alike as one node), flows as edges labelled with ports (deployment.mmd)',
  options: ['host'],
  render(plan: Plan, options): RenderedFile[] {
    return [{ path: 'deployment.mmd', content: lfText(flowchartLines(deploymentGraph(plan, options))) }];
  },
};

function flowchartLines(graph: DeploymentGraph): string[] {
  return [
    '%% Written by scomfw from the plan. Dashed edges: install only (can be closed after setup).',
    'flowchart LR',
    ...graph.zones.flatMap((z) => [
      `  subgraph ${z.id}["${label(`zone ${z.name}`)}"]`,
      ...z.nodes.map((n) => `    ${n.id}["${label(n.name)}<br/>${label(n.roles)}"]`),
      '  end',
    ]),
    ...graph.edges.map((e) => `  ${e.from} ${e.installOnly ? '-.->' : '-->'}|"${label(e.label)}"| ${e.to}`),
  ];
}

/**
 * Text for inside a quoted Mermaid label. Everything but letters, digits, space and `.,:;/()+-` becomes an
 * entity code (`#quot;`, `#35;`), so no quote, bracket, pipe, `%%`, HTML or markdown in a name takes effect.
 */
export function label(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[^A-Za-z0-9 .,:;/()+-]/gu, entity);
}

const entity = (c: string): string => (c === '"' ? '#quot;' : `#${c.codePointAt(0) ?? 0};`);
