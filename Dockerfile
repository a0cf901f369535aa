# syntax=docker/dockerfile:1
#
# embedline image: the CLI (worker, serve, ingest, status, ...) run from source through tsx.
#
#   docker build -t embedline:local .
#   docker run --rm embedline:local --help
#
# The model is NOT baked in by default: mount a model folder at /models and point
# EMBEDLINE_MODEL at it (docker-compose.yml does this). To bake one in, put the model folder
# inside the build context and name it, relative to the context:
#
#   docker build --build-arg MODEL_DIR=models/all-MiniLM-L6-v2 -t embedline:with-model .
#   # -> /models/all-MiniLM-L6-v2 in the image; set EMBEDLINE_MODEL=/models/all-MiniLM-L6-v2

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- deps: production dependencies only -------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# onnxruntime-node ships its CPU binaries in the npm package. package.json's allowScripts already keeps
# its install script (a download of the optional GPU files from outside the npm registry) out of
# `npm ci`, but only npm 11.19 and newer read allowScripts; the image's bundled npm may be older, so
# the image also says "skip" the way every npm understands.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force

# ---- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    EMBEDLINE_DATA=/var/lib/embedline
WORKDIR /app

# Code and dependencies stay owned by root: the app user can read them, not change them.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src

# Optional: bake a model in (see the header). With MODEL_DIR empty this step only makes /models.
ARG MODEL_DIR=""
RUN --mount=type=bind,source=.,target=/context \
    set -eu; \
    mkdir -p /models; \
    if [ -n "$MODEL_DIR" ]; then \
      if [ ! -f "/context/$MODEL_DIR/config.json" ]; then \
        echo "MODEL_DIR=$MODEL_DIR: no config.json there (the path is relative to the build context)" >&2; \
        exit 1; \
      fi; \
      cp -R "/context/$MODEL_DIR" "/models/$(basename "$MODEL_DIR")"; \
      chmod -R a+rX /models; \
    fi

# `embedline` on PATH too, for `docker compose exec worker embedline status`.
RUN chmod 0755 /app/bin/embedline.js \
    && ln -s /app/bin/embedline.js /usr/local/bin/embedline \
    && mkdir -p "$EMBEDLINE_DATA" \
    && chown node:node "$EMBEDLINE_DATA"

# The node image's unprivileged user (uid 1000).
USER node

EXPOSE 8080
ENTRYPOINT ["node", "/app/bin/embedline.js"]
CMD ["--help"]
