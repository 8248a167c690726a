/** `aws ec2 create-tags --resources ID… --tags Key=k,Value=v …` (form: AWS CLI reference, ec2 create-tags). */
import { req, str } from '../descriptor.ts';
import { tags } from '../fields.ts';
import { checkTagResources } from '../rules.ts';
import { defineAction, shellWord } from './action.ts';

export default defineAction({
  run: 'aws ec2 create-tags',
  fields: {
    resources: req({ t: 'array', items: str('resource id', { maxLength: 64 }), minItems: 1, maxItems: 100 }, 'Resource ids (subnets).'),
    tags: req(tags('tags'), 'Tags to add or overwrite.'),
  },
  doc: 'Tag resources.',
  check: (a, ctx, path) => checkTagResources(ctx.src, path, a.resources, ctx.subnets),
  command: (a) =>
    `aws ec2 create-tags --resources ${a.resources.join(' ')} --tags ${Object.entries(a.tags)
      .map(([k, v]) => shellWord(`Key=${k},Value=${v}`))
      .join(' ')}`,
  apply: (a, world) => world.createTags(a.resources, a.tags),
});
