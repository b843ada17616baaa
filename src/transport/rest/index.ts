/**
 * @module
 * REST transcoding of google.api.http annotations, grpc-gateway v2 style, for
 * connect-node's `fallback`, and the OpenAPI document of its routes
 * (`openapi/`). Everything else in this folder is private.
 */
export { createRestGateway, type RestGateway, type RestService } from "./gateway.js";
export { createOpenApiRoute } from "./openapi/route.js";
