// Start Swagger UI from the settings the page carries (no inline script: CSP is 'self' only).
const config = JSON.parse(document.getElementById("swagger-settings").textContent);
config.dom_id = "#swagger-ui";
config.presets = [SwaggerUIBundle.presets.apis];
window.ui = SwaggerUIBundle(config);
