import { describe, expect, it } from 'vitest';
import { sampleAddresses } from '../../src/probe/sample.js';

describe('sampling the addresses of a destination', () => {
  it('a single address is itself', () => {
    expect(sampleAddresses(['10.0.1.11'], 2)).toEqual(['10.0.1.11']);
  });

  it('a dual-stack host is probed on both addresses', () => {
    expect(sampleAddresses(['10.6.0.11', 'fd00:6::11'], 2)).toEqual(['10.6.0.11', 'fd00:6::11']);
  });

  it('an IPv4 prefix: first and last usable (no network, no broadcast)', () => {
    expect(sampleAddresses(['10.0.10.0/25'], 2)).toEqual(['10.0.10.1', '10.0.10.126']);
  });

  it('an a-b range keeps its ends', () => {
    expect(sampleAddresses(['10.21.4.10-10.21.4.60'], 2)).toEqual(['10.21.4.10', '10.21.4.60']);
  });

  it('two entries and the default of 2: the first address of each', () => {
    expect(sampleAddresses(['10.20.0.0/16', '10.21.4.10-10.21.4.60'], 2)).toEqual(['10.20.0.1', '10.21.4.10']);
  });

  it('a larger sample takes the last addresses after all the firsts', () => {
    expect(sampleAddresses(['10.20.0.0/16', '10.21.4.10-10.21.4.60'], 4)).toEqual(['10.20.0.1', '10.21.4.10', '10.20.255.254', '10.21.4.60']);
  });

  it('IPv6 prefix: skips the subnet-router anycast address, keeps the last', () => {
    expect(sampleAddresses(['fd00:8::/64'], 2)).toEqual(['fd00:8::1', 'fd00:8::ffff:ffff:ffff:ffff']);
  });

  it('tiny prefixes and repeats', () => {
    expect(sampleAddresses(['10.0.0.0/31'], 2)).toEqual(['10.0.0.0', '10.0.0.1']);
    expect(sampleAddresses(['10.0.0.4/32', '10.0.0.4'], 5)).toEqual(['10.0.0.4']);
  });

  it('--sample 1 takes one', () => {
    expect(sampleAddresses(['10.0.10.0/25', '10.9.0.1'], 1)).toEqual(['10.0.10.1']);
  });
});
