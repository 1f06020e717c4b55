/* Starts GOV.UK Frontend's components (templates/base.html loads this as a module). */
import { initAll } from "../govuk-frontend/govuk/govuk-frontend.min.js";

initAll();
