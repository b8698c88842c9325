/** The slug ending of our glossary entry on a term a site checkout defines too ("ollama-in-practice"). */
export const IN_PRACTICE_SLUG = "-in-practice";
