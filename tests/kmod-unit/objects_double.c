// SPDX-License-Identifier: GPL-2.0
/*
 * A test double of a kernel's objects for tests/kmod-unit/real-objects.sh,
 * built by it with the host's and the aarch64 cross compiler: compiled (-c)
 * it stands for openvswitch.ko, linked (-nostdlib -static) for a vmlinux that
 * keeps its symbol table, the form of the openEuler builds. It runs
 * real_objects' ELF paths on every machine, the kernels in hand or not.
 *
 * Built plain, it has the shapes the module arms on: ovs_vport_send() reads
 * net_device::mtu (at MTU_OFF) through its first argument's first word, and the
 * two pick-site callers call their callees out of line. Built with -DWRONG, it
 * has the shapes the module must refuse: the field read through the second
 * argument's word, and each callee's work done inline instead of called.
 */
#ifndef MTU_OFF
#define MTU_OFF 560
#endif

struct net_device {
	char before_mtu[MTU_OFF];
	unsigned int mtu;
};

struct vport {
	struct net_device *dev;
};

#define NOIPA __attribute__((noipa))

unsigned int sink, sink_proto;

void ovs_vport_send(struct vport *vport, struct vport *other, unsigned char mac_proto);
int netdev_pick_tx(struct net_device *dev, int hash);
int netdev_core_pick_tx(struct net_device *dev, int hash);
int __dev_queue_xmit(struct net_device *dev, int hash);
void _start(void);

NOIPA void ovs_vport_send(struct vport *vport, struct vport *other, unsigned char mac_proto)
{
#ifdef WRONG
	sink = other->dev->mtu;
	(void)vport;
#else
	sink = vport->dev->mtu;
	(void)other;
#endif
	sink_proto = mac_proto;
}

NOIPA int netdev_pick_tx(struct net_device *dev, int hash)
{
	return (int)(dev->mtu % 7) + hash;
}

NOIPA int netdev_core_pick_tx(struct net_device *dev, int hash)
{
#ifdef WRONG
	return (int)(dev->mtu % 7) + hash + 1;
#else
	return netdev_pick_tx(dev, hash) + 1;
#endif
}

NOIPA int __dev_queue_xmit(struct net_device *dev, int hash)
{
#ifdef WRONG
	return (int)(dev->mtu % 5) + hash + 2;
#else
	return netdev_core_pick_tx(dev, hash) + 2;
#endif
}

/* Only for the linked form: something that reaches them all. */
void _start(void)
{
	static struct net_device dev;
	struct vport port = { &dev };

	ovs_vport_send(&port, &port, 0);
	sink += __dev_queue_xmit(&dev, 3) + netdev_pick_tx(&dev, 1);
	for (;;)
		;
}
