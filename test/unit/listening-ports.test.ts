import { describe, expect, it } from 'vitest';
import { parseListeners } from '../../src/engine/container/listening-ports.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const row = (local: string, remote: string, state: string) =>
  `   0: ${local} ${remote} ${state} 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0`;

const TCP = [
  HEADER,
  row('00000000:0BB8', '00000000:0000', '0A'), // 0.0.0.0:3000
  row('0100007F:1F90', '00000000:0000', '0A'), // 127.0.0.1:8080
  row('0B00007F:8A21', '00000000:0000', '0A'), // 127.0.0.11: Docker's DNS
  row('0200A8C0:0BB8', '0100A8C0:D431', '01'), // an established connection
].join('\n');
const TCP6 = [
  HEADER,
  row('00000000000000000000000000000000:1388', '00000000000000000000000000000000:0000', '0A'), // [::]:5000
  row('00000000000000000000000001000000:1F91', '00000000000000000000000000000000:0000', '0A'), // [::1]:8081
].join('\n');

describe('parseListeners', () => {
  it('lists listening ports, marking loopback-only ones and ignoring Docker DNS and connections', () => {
    expect(parseListeners(TCP)).toEqual([
      { port: 3000, loopback: false },
      { port: 8080, loopback: true },
    ]);
    expect(parseListeners(`${TCP}\n${TCP6}`)).toEqual([
      { port: 3000, loopback: false },
      { port: 5000, loopback: false },
      { port: 8080, loopback: true },
      { port: 8081, loopback: true },
    ]);
  });

  it('counts a port as reachable when any of its sockets is not on loopback', () => {
    const both = [HEADER, row('0100007F:1F90', '00000000:0000', '0A'), row('00000000:1F90', '00000000:0000', '0A')].join('\n');
    expect(parseListeners(both)).toEqual([{ port: 8080, loopback: false }]);
  });

  it('reads loopback in the forms the kernel prints: 127.0.0.0/8, ::1 and IPv4-mapped 127.x', () => {
    const table = [
      HEADER,
      row('0500007F:0050', '00000000:0000', '0A'), // 127.0.0.5:80
      row('0000000000000000FFFF00000100007F:0051', '00000000000000000000000000000000:0000', '0A'), // [::ffff:127.0.0.1]:81
      row('0000000000000000FFFF00000200000A:0052', '00000000000000000000000000000000:0000', '0A'), // [::ffff:10.0.0.2]:82
      row('000080FE00000000FF005E1E0000FEA9:0053', '00000000000000000000000000000000:0000', '0A'), // a link-local address:83
    ].join('\n');
    expect(parseListeners(table)).toEqual([
      { port: 80, loopback: true },
      { port: 81, loopback: true },
      { port: 82, loopback: false },
      { port: 83, loopback: false },
    ]);
  });

  it('gives nothing for an empty table', () => {
    expect(parseListeners(HEADER)).toEqual([]);
  });
});
