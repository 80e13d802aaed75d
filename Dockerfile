# One image runs every Jeeves process; the command picks which:
#   docker run jeeves                      the monolith (web + worker)
#   docker run jeeves dist/src/worker.js   a worker alone
#   docker run jeeves dist/src/service.js weather   one extracted service
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
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
ENTRYPOINT ["node"]
CMD ["dist/src/main.js"]
