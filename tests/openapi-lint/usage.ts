// What a TypeScript backend gets from openapi-typescript over /openapi/v1.json (OpenApiContractTests generates
// api.d.ts beside a copy of this file and runs tsc --strict on it): typed bodies, answers and problems, and
// compile errors for what the server would refuse.
import type { components, paths } from "./api";

type CampaignInput = components["schemas"]["CampaignInput"];
type PutCampaign = paths["/v1/campaigns/{id}"]["put"];

const campaign: CampaignInput = {
  name: "Spring sale",
  audience: { segment: "reachable-buyers" },
  trigger: { type: "event", event: "Order Completed", delay: "1h" },
  message: { title: "Hi {{ traits.first_name }}", body: "20% off", data: { sale: "spring" } },
  variants: [{ name: "a", percent: 100, message: { title: "A", body: "a" } }],
  cap: { limit: 2, window: "30d" },
  holdoutPercent: 5,
  throttlePerMinute: 1000,
};
export const body: PutCampaign["requestBody"] extends infer B ? NonNullable<B> extends { content: { "application/json": infer J } } ? J : never : never = campaign;

type Created = PutCampaign["responses"][201]["content"]["application/json"];
export const created: Pick<Created, "id" | "status"> = { id: "spring-sale", status: "draft" };
type Refused = PutCampaign["responses"][400]["content"]["application/problem+json"];
export const refused: Refused["errors"] = ["cap.window: must be a duration such as 7d."];
type Conflict = PutCampaign["responses"][409]["content"]["application/problem+json"];
export const conflict: Conflict["detail"] = "the campaign is cancelled and cannot be changed.";

// @ts-expect-error a misspelt field is not part of a campaign
export const misspelt: CampaignInput = { throttle: 5 };
// @ts-expect-error a cap's limit is a number, not text
export const quoted: CampaignInput = { cap: { limit: "two" } };
// @ts-expect-error FCM data values are strings
export const numeric: CampaignInput = { message: { data: { sale: 1 } } };

type Batch = paths["/v1/batch"]["post"];
export const batch: NonNullable<Batch["requestBody"]>["content"]["text/plain"] = {
  batch: [{ type: "track", userId: "user-42", event: "Order Completed", properties: { revenue: 42.5 } }],
};
type Profile = paths["/v1/users/{userId}"]["get"]["responses"][200]["content"]["application/json"];
export const stage = (profile: Profile): string | null | undefined => profile.lifecycle.stage;
type Answer = paths["/v1/messages"]["post"]["responses"][202]["content"]["application/json"];
export const sent = (answer: Answer): boolean => answer.status === "delivered" && !answer.duplicate;
