import { describe, expect, it } from 'vitest';
import {
  hostingRegions,
  isCategoryAllowed,
  productsAvailableIn,
  regionsAllowingCategory,
  retention,
} from '../../lib/residency/index.ts';

describe('the residency catalogue', () => {
  it('hosts the four regions in the AWS regions the design names', () => {
    expect(Object.fromEntries(Object.values(hostingRegions).map((r) => [r.key, r.awsRegion]))).toEqual({
      us: 'us-east-1',
      eea: 'eu-central-1',
      in: 'ap-south-1',
      au: 'ap-southeast-2',
    });
  });

  it('allows helpdesk tickets everywhere but call recordings and chat messages only in the US and EEA', () => {
    for (const region of ['us', 'eea', 'in', 'au'] as const)
      expect(isCategoryAllowed('helpdesk', 'tickets', region)).toBe(true);
    expect(regionsAllowingCategory('call_recordings')).toEqual(['us', 'eea']);
    expect(isCategoryAllowed('helpdesk', 'chat_messages', 'in')).toBe(false);
    expect(isCategoryAllowed('helpdesk', 'call_recordings', 'au')).toBe(false);
  });

  it('keeps HR and marketing in the US only', () => {
    expect(isCategoryAllowed('hr', 'employees', 'eea')).toBe(false);
    expect(isCategoryAllowed('marketing', 'website_visitors', 'us')).toBe(true);
    expect(productsAvailableIn('eea')).not.toContain('hr');
    expect(productsAvailableIn('in')).toEqual(['helpdesk', 'service_desk']);
  });

  it('never allows a category it does not know', () => {
    expect(isCategoryAllowed('helpdesk', 'no_such_category', 'us')).toBe(false);
  });

  it('states the promised retention numbers', () => {
    expect(retention).toMatchObject({
      logDays: 365,
      eeaLogCopyDays: 30,
      trashDays: 60,
      recordingHoldSeconds: 600,
    });
  });
});
