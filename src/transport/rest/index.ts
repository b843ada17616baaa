/**
 * @module
 * REST transcoding of google.api.http annotations, grpc-gateway v2 style, for
 * connect-node's `fallback`. Everything else in this folder is private.
 */
export { createRestGateway, type RestGateway, type RestService } from "./gateway.js";
