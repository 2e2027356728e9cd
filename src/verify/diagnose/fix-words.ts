/** A device name a printed fix may name (bridge, ip neigh, link moved back): as the kernel holds it, a learner's rename included; at most 15 characters. */
export const FIX_IFNAME = /^[A-Za-z0-9_.@-]{1,15}$/;
