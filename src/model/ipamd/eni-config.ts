/**
 * Which ENIConfig a node uses under custom networking (spec §1 ENI_CONFIG_LABEL_DEF, §4.3;
 * `eniconfig.go › GetNodeSpecificENIConfigName`): label `vpc.amazonaws.com/externalEniConfig` > annotation
 * ENI_CONFIG_ANNOTATION_DEF > label ENI_CONFIG_LABEL_DEF > the literal name `default`.
 */
import type { NodeView } from './records.ts';

export const EXTERNAL_ENI_CONFIG_LABEL = 'vpc.amazonaws.com/externalEniConfig';
export const ERR_NO_ENI_CONFIG = 'eniconfig: eniconfig is not available';

export function eniConfigName(node: Pick<NodeView, 'labels' | 'annotations'>, annotationDef: string, labelDef: string): string {
  const ext = node.labels[EXTERNAL_ENI_CONFIG_LABEL];
  if (ext !== undefined && ext !== '') return ext;
  const ann = node.annotations[annotationDef];
  if (ann !== undefined && ann !== '') return ann;
  const lab = node.labels[labelDef];
  if (lab !== undefined && lab !== '') return lab;
  return 'default';
}
