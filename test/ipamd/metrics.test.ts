/** ipamd's Prometheus series (src/model/ipamd/metrics.ts): one series per label set, whatever the label order. */
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/model/ipamd/metrics.ts';

describe('ipamd metrics', () => {
  it('keeps one series per label set, in any label order', () => {
    const m = new Metrics();
    m.inc('awscni_add_ip_req_count');
    m.inc('awscni_add_ip_req_count', {}, 2);
    m.inc('awscni_del_ip_req_count', { reason: 'PodDeleted' });
    m.inc('awscni_aws_api_error_count', { api: 'CreateNetworkInterface', error: 'Throttling' });
    m.inc('awscni_aws_api_error_count', { error: 'Throttling', api: 'CreateNetworkInterface' });
    expect(m.get('awscni_add_ip_req_count')).toBe(3);
    expect(m.get('awscni_del_ip_req_count', { reason: 'PodDeleted' })).toBe(1);
    expect(m.get('awscni_del_ip_req_count')).toBe(0);
    expect(m.get('awscni_aws_api_error_count', { api: 'CreateNetworkInterface', error: 'Throttling' })).toBe(2);
    const text = m.text();
    expect(text).toMatch(/^awscni_add_ip_req_count 3$/m);
    expect(text).toMatch(/^awscni_aws_api_error_count\{api="CreateNetworkInterface",error="Throttling"\} 2$/m);
    expect(text).toMatch(/^awscni_del_ip_req_count\{reason="PodDeleted"\} 1$/m);
  });
});
