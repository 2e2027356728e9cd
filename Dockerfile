# A netlab image for CI: Debian bookworm, Node >= 20, the system tools and netlab as `netlab`.
# Provisioned by the same script as the Vagrant VM. Run it privileged (namespaces, links, iptables):
#
#   docker build -t netlab .
#   docker run --rm --privileged -v "$PWD/reports:/reports" netlab test --all --junit /reports/netlab.xml
#
# BASE is any Debian bookworm image (with Node >= 20 or without: provisioning then installs it).
# Without a registry, scripts/ci/container.sh builds one from Debian's packages and passes it here.
ARG BASE=node:20-bookworm-slim
FROM ${BASE}
COPY . /opt/netlab
RUN NETLAB_SRC=/opt/netlab NETLAB_IMAGE_BUILD=1 bash /opt/netlab/scripts/provision-vm.sh \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /root/.npm
WORKDIR /opt/netlab
ENTRYPOINT ["netlab"]
CMD ["doctor"]
