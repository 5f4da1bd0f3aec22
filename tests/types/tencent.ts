// TencentSmsClient as Node users write it, type-checked against pkg-template/shared/zhenzisms.d.ts.
// Never run: `tsc --noEmit -p tests/types` only. `@ts-expect-error` lines are misuse to refuse.
import { TencentSmsClient, ZhenziError } from '../../pkg-template/shared/zhenzisms';
import type { TencentSendResult, TencentSendStatus } from '../../pkg-template/shared/zhenzisms';

declare function show(...values: unknown[]): void;

async function tencent(): Promise<void> {
  const sms = new TencentSmsClient({ secretId: 'AKID', secretKey: 'k', sessionToken: 't', sdkAppId: 1400006666, signName: '腾讯云', region: 'ap-guangzhou', endpoint: 'http://127.0.0.1:8787', timeoutMs: 2500, now: Date.now });
  const r: TencentSendResult = await sms.send({ number: '13800138000', templateId: 123456, templateParams: ['4321', 5], verification: true, templateParamCount: 2 });
  const s: TencentSendStatus = r.statuses[0];
  if (!s.ok && s.error) show(s.error.code, s.error.kind, s.error.detail, s.code);
  await sms.send({ numbers: ['+8613800138000', '+8613900139000'], templateId: '1', sessionContext: 'ctx' }, { timeoutMs: 1000 });
  try {
    await sms.send({ number: '1', templateId: '1' });
  } catch (e) {
    if (e instanceof ZhenziError) show(e.code, e.reason, e.solution, e.retriable);
  }
  show(sms.sdkAppId, r.requestId, s.fee, s.serialNo);
  // @ts-expect-error sdkAppId is required
  new TencentSmsClient({ secretId: 'a', secretKey: 'b' });
  // @ts-expect-error templateId is required
  await sms.send({ number: '13800138000' });
  // @ts-expect-error templateParams are strings or numbers
  await sms.send({ number: '13800138000', templateId: '1', templateParams: [true] });
}
show(tencent);
