import { SITE_URL, siteUrls } from "../../knowledge/urls.ts";

/** The site's pages behind every fit answer: the method it follows and the lessons that explain it. */
export interface FitLinks {
  hardware: string;
  memoryLesson: string;
  formatsLesson: string;
}

export const FIT_LINKS: FitLinks = {
  hardware: `${SITE_URL}/hardware`,
  memoryLesson: siteUrls.lesson("self-host", "gpu-memory-math"),
  formatsLesson: siteUrls.lesson("self-host", "quantization-formats"),
};

/** A fit card links to the model's page when the data has one, else to the method. */
export function fitPage(modelSlug: string | null): string {
  return modelSlug ? siteUrls.model(modelSlug) : FIT_LINKS.hardware;
}
