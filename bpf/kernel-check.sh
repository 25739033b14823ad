#!/usr/bin/env bash
# Checks the probe on another kernel (docs/probe.md, "How it was checked"): boots the kernel in
# qemu with busybox, bpftool and the object in an initramfs; there both programs must pass the
# verifier (the instructions it processed are printed) and BPF_PROG_TEST_RUN on VLAN and MPLS
# stacks and pseudowires at and past the bounds must move the `events` and `parse_errors` counters as on the
# build machine. Exits 1 otherwise.
#
#   bpf/kernel-check.sh KERNEL [OBJECT]
#     KERNEL: a bzImage/vmlinuz, or a Debian linux-image-*.deb (e.g. from
#             `apt-get download linux-image-6.1.0-53-cloud-amd64`), x86-64
#     OBJECT: default bpf/flat.bpf.o
# Needs: qemu-system-x86_64, busybox (static), bpftool, python3 (apt-get install qemu-system-x86
# busybox-static bpftool python3). Runs without root; qemu emulates the CPU (TCG, -cpu max), a few
# minutes, because KVM nested in a VM may not emulate all the guest kernel needs.
set -euo pipefail
kernel="${1:?usage: $0 KERNEL [OBJECT]}"
object="$(realpath "${2:-$(dirname "$0")/flat.bpf.o}")"
for tool in qemu-system-x86_64 busybox bpftool python3; do
  command -v "$tool" >/dev/null || { echo "kernel-check.sh: $tool not found (see the header of this script)" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ "$kernel" == *.deb ]]; then
  dpkg-deb -x "$kernel" "$work/deb"
  kernel="$(ls "$work"/deb/boot/vmlinuz-* | head -1)"
fi

root="$work/root"
mkdir -p "$root"/{bin,sbin,lib64,proc,sys,dev,tmp,frames}
cp "$(command -v busybox)" "$root/bin/busybox"
bpftool="$(command -v bpftool)"
cp "$bpftool" "$root/sbin/bpftool"
# bpftool's shared libraries and loader, at the paths it was linked against
for lib in $(ldd "$bpftool" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp "$object" "$root/flat.bpf.o"

# Frames and the outcome each must have: event, parse_error or not_relevant (FLAT_MAX_VLAN_TAGS
# = FLAT_MAX_MPLS_LABELS = 8; Ethernet pseudowires, FLAT_MAX_TUNNELS = 4; PPPoE sessions). TPIDs
# cycle 88a8, 8100, 9100.
python3 - "$root/frames" <<'EOF'
import struct, sys
out = sys.argv[1]
dns = bytes([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, ord('a'), 0, 0, 1, 0, 1])
udp = struct.pack('>HHHH', 5353, 53, 8 + len(dns), 0) + dns
v4 = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + udp
v6 = struct.pack('>IHBB', 0x60000000, len(udp), 17, 64) + bytes([0xfd] + [0] * 14 + [1]) + bytes([0xfd] + [0] * 14 + [2]) + udp
def eth(tags, ethertype, payload):
    tpids = [0x88a8, 0x8100, 0x9100]
    return bytes(12) + b''.join(struct.pack('>HH', tpids[i % 3], 100 + i) for i in range(tags)) + struct.pack('>H', ethertype) + payload
def mpls(labels, payload):
    return b''.join(struct.pack('>I', (16 + i) << 12 | (i == labels - 1) << 8 | 64) for i in range(labels)) + payload
def pw(depth, frame):  # Ethernet pseudowires with a control word (FLAT_MAX_TUNNELS = 4), nested
    for _ in range(depth):
        frame = eth(1, 0x8847, mpls(8, bytes(4) + frame))
    return frame
cases = [
    ('8tags_v4', 'event', eth(8, 0x0800, v4)),
    ('9tags_v4', 'parse_error', eth(9, 0x0800, v4)),
    ('8labels_v6', 'event', eth(0, 0x8847, mpls(8, v6))),
    ('9labels_v6', 'parse_error', eth(0, 0x8847, mpls(9, v6))),
    ('8tags_8labels_v4', 'event', eth(8, 0x8848, mpls(8, v4))),
    ('pseudowire_v4', 'event', eth(0, 0x8847, mpls(2, bytes(4) + eth(1, 0x0800, v4)))),
    ('mpls_associated_channel', 'not_relevant', eth(0, 0x8847, mpls(2, bytes([0x10, 0, 0, 0]) + v4))),
    ('4_pseudowires_v6', 'event', pw(4, eth(8, 0x86dd, v6))),
    ('5_pseudowires_v6', 'parse_error', pw(5, eth(8, 0x86dd, v6))),
    ('untagged_v4', 'event', eth(0, 0x0800, v4)),
    ('label_cut_short', 'parse_error', eth(0, 0x8847, mpls(1, b''))),
    ('tag_pppoe_v4', 'event', eth(1, 0x8864, bytes([0x11, 0, 0x12, 0x34]) + struct.pack('>HH', 2 + len(v4), 0x0021) + v4)),
    ('pppoe_lcp', 'not_relevant', eth(0, 0x8864, bytes([0x11, 0, 0x12, 0x34, 0, 6, 0xc0, 0x21, 1, 1, 0, 4]))),
]
with open(out + '/list', 'w') as f:
    for name, outcome, frame in cases:
        open(out + '/' + name, 'wb').write(frame)
        f.write(name + ' ' + outcome + '\n')
EOF

cat > "$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t bpf bpf /sys/fs/bpf
echo "CHECK kernel $(uname -r)"
if bpftool -d prog loadall /flat.bpf.o /sys/fs/bpf/flat type classifier pinmaps /sys/fs/bpf/maps > /tmp/load.log 2>&1; then
  grep '^processed' /tmp/load.log | sed 's/^/CHECK verifier: /'
  while read name outcome; do
    bpftool prog run pinned /sys/fs/bpf/flat/flat_ingress data_in /frames/$name repeat 1 > /dev/null
    echo "COUNTERS $name $outcome $(bpftool -j map dump pinned /sys/fs/bpf/maps/counters)"
  done < /frames/list
else
  tail -20 /tmp/load.log | sed 's/^/CHECK load failed: /'
fi
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$work/initrd.gz")

echo "booting $(basename "$kernel") with $(basename "$object") (sha256 $(sha256sum "$object" | cut -c1-16))"
timeout 900 qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 512 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$work/initrd.gz" -append "console=ttyS0 quiet panic=-1" > "$work/console" 2>&1 || true

python3 - "$work/console" "$(wc -l < "$root/frames/list")" <<'EOF'
import json, sys
ok, frames, expected_frames = True, 0, int(sys.argv[2])
previous = {'packets': 0, 'events': 0, 'parse_errors': 0}
for line in open(sys.argv[1], errors='replace'):
    line = line.strip()
    if 'CHECK ' in line:
        print(line[line.index('CHECK ') + 6:])
        ok = ok and 'load failed' not in line
    elif line.startswith('COUNTERS '):
        name, outcome, dump = line.split(' ', 3)[1:]
        counters = {e['formatted']['key']: sum(v['value'] for v in e['formatted']['values']) for e in json.loads(dump)}
        now = {'packets': counters[0], 'events': counters[1], 'parse_errors': counters[3]}
        moved = {k: now[k] - previous[k] for k in now}
        want = {'packets': 1, 'events': outcome == 'event', 'parse_errors': outcome == 'parse_error'}
        good = moved == {k: int(v) for k, v in want.items()}
        print(f"{name}: {outcome}, counters moved {moved}: {'ok' if good else 'WRONG'}")
        ok, frames, previous = ok and good, frames + 1, now
if frames != expected_frames:
    print(f"only {frames} of {expected_frames} frames ran (console output incomplete?)")
    ok = False
print('PASS' if ok else 'FAIL')
sys.exit(0 if ok else 1)
EOF
