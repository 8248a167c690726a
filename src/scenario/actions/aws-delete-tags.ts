/** `aws ec2 delete-tags --resources ID… --tags Key=k …` (form: AWS CLI reference, ec2 delete-tags). */
import { req, str } from '../descriptor.ts';
import { checkTagResources } from '../rules.ts';
import { defineAction, shellWord } from './action.ts';

export default defineAction({
  run: 'aws ec2 delete-tags',
  fields: {
    resources: req({ t: 'array', items: str('resource id', { maxLength: 64 }), minItems: 1, maxItems: 100 }, 'Resource ids.'),
    tags: req({ t: 'array', items: str('tag key', { maxLength: 128 }), minItems: 1, maxItems: 50 }, 'Tag keys to remove.'),
  },
  doc: 'Remove tags.',
  check: (a, ctx, path) => checkTagResources(ctx.src, path, a.resources, ctx.subnets),
  command: (a) => `aws ec2 delete-tags --resources ${a.resources.join(' ')} --tags ${a.tags.map((k) => shellWord(`Key=${k}`)).join(' ')}`,
  apply: (a, world) => world.deleteTags(a.resources, a.tags),
});
