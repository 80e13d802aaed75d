# One image runs every Jeeves process, always the compiled build (tsx is for `npm start` only);
# the command picks which:
#   docker run jeeves                                             the monolith (web + worker)
#   docker run -e WORKER_QUEUES=slack-events jeeves dist/src/processes/worker.js   a worker pool
#   docker run jeeves dist/src/processes/service.js weather       one extracted service
#   docker run jeeves dist/scripts/migrate.js                     the release's migrations
# deploy/ (Kubernetes) and docker-compose.yml run it that way.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY extracted ./extracted
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    JEEVES_DATA_DIR=/var/lib/jeeves
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The only place a process writes (the Unleash client's flag backup); Kubernetes mounts an emptyDir here.
RUN mkdir -p /var/lib/jeeves && chown 1000:1000 /var/lib/jeeves
# The image's `node` user, by number so Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 3000
ENTRYPOINT ["node"]
CMD ["dist/src/processes/main.js"]
