# syntax=docker/dockerfile:1
# Candor's container image. Build: docker build -t candor .
# Run:   docker run -d -p 4321:4321 -v candor-data:/data -e CANDOR_PUBLIC_URL=https://status.example.com candor
# Then:  docker exec -it <container> npm run user:create
# See compose.yaml for Candor with a Litestream sidecar and a static mirror, and README "Container".

# --- build: production dependencies from the lock file, then the site (scripts/image-build.sh) ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/image-build.sh scripts/image-build.sh
RUN sh scripts/image-build.sh dependencies
COPY . .
RUN sh scripts/image-build.sh site

# --- runtime: what serving needs, owned by root, run as the unprivileged node user ---
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=65536 \
    MALLOC_TRIM_THRESHOLD_=1048576 \
    HOST=0.0.0.0 \
    PORT=4321 \
    CANDOR_DB=/data/candor.db
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/db db
COPY --from=build /app/src src
COPY --from=build /app/scripts scripts
RUN mkdir -p /data /mirror && chown node:node /data /mirror
USER node
VOLUME /data
EXPOSE 4321
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# The server itself is PID 1 (with its heap settings, so it does not re-execute itself): SIGTERM from
# `docker stop` makes it answer the requests in flight, log "Candor stopped" and exit 0.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=256", "scripts/serve.ts"]
