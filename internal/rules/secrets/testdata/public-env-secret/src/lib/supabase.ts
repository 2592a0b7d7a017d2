import { createClient } from "@supabase/supabase-js";

export const supabase = createClient(
  process.env.NEXT_PUBLIC_SUPABASE_URL!,
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!,
);

// Server-only client: this name must never carry a public prefix.
export const admin = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env["NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY"]!); // want "NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY"

// process.env.NEXT_PUBLIC_OLD_SECRET was removed in March.
const signing = import.meta.env.VITE_JWT_PRIVATE_KEY; // want "VITE_JWT_PRIVATE_KEY"
const map = import.meta.env.VITE_MAPBOX_TOKEN;
const reset = process.env.NEXT_PUBLIC_PASSWORD_RESET_URL;
