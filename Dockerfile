# A netlab image for CI: Debian, Node >= 20, iproute2, iptables, dnsmasq, tcpdump and netlab as `netlab`.
# Provisioned by the same script as the Vagrant VM. Run it privileged (namespaces, links, iptables):
#
#   docker build -t netlab .
#   docker run --rm --privileged -v "$PWD/reports:/reports" netlab test --all --junit /reports/netlab.xml
FROM debian:bookworm-slim
COPY . /opt/netlab
RUN NETLAB_SRC=/opt/netlab bash /opt/netlab/scripts/provision-vm.sh \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /root/.npm
WORKDIR /opt/netlab
ENTRYPOINT ["netlab"]
CMD ["doctor"]
