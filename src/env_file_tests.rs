//! Tests of [`super`]: what an environment file sets, and whether it holds a credential.
use super::*;

fn credential(body: &str) -> Option<(bool, bool)> {
    judge(body.as_bytes()).map(|s| (s.credential, s.issued))
}

#[test]
fn a_value_held_elsewhere_sets_nothing() {
    for v in [
        "${JWT_SECRET}",
        "\"${JWT_SECRET}\"",
        "${SMTP_PASSWORD:-}",
        "${API_KEY:?set it}",
        "ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:2=,type:str]",
        "ENCRYPTED|VRki9Hw5sf8d/BNxn0TMWdqWXOEHH",
        "\"encrypted:BE9Y7LKANx77X1pv1HnEoil93fPa5c9rpL/1ps48uaRT9zM8VR6mHx9yM+HktKdsPG\"",
    ] {
        assert!(held_elsewhere(v), "{v}");
        assert_eq!(credential(&format!("API_KEY={v}")), None, "{v}");
    }
    for v in [
        "${DB_PASSWORD:-supersecret}",
        "${DB_PASSWORD:=supersecret}",
        "$ecretPass1",
        "${1abc}",
        "prefix${KEY}",
    ] {
        assert!(!held_elsewhere(v), "{v}");
    }
    // A file dotenvx encrypted sets nothing a clone can read; its `.env.keys` is the secret.
    assert_eq!(
        credential("DOTENV_PUBLIC_KEY=\"034af93e93708b994c10f236c96ef88e47291066946cce2e8d98c9e0\"\nAPI_KEY=\"encrypted:BE9Y7LKANx77X1pv1Hn\"\n"),
        None
    );
    assert_eq!(
        credential("DOTENV_PRIVATE_KEY=\"81dac4d2c42e67a2c6542d3b943a4674a05c4be5e7e5a40a689be7a3bd49a07e\"\n"),
        Some((true, true))
    );
    // The settings beside them are still settings.
    assert_eq!(
        credential("NODE_ENV=production\nJWT_SECRET=${JWT_SECRET}\n"),
        Some((false, false))
    );
}

/// What a front-end build reads from a file holding no secret; nothing from one holding
/// a key, a setting of the server's, or a template's empty or placeholder values.
#[test]
fn build_settings_are_the_published_values_of_a_file_without_a_secret() {
    let setting = |body: &str| build_setting(body.as_bytes());
    assert_eq!(
        setting("# api\nexport VITE_API_URL=https://api.example.com\n"),
        Some("VITE_API_URL".into())
    );
    assert_eq!(
        setting("NEXT_PUBLIC_SITE=x\nCOMPOSE_PROJECT_NAME=app\n"),
        Some("NEXT_PUBLIC_SITE".into())
    );
    for body in [
        "VITE_API_URL=/api\nOPENAI_API_KEY=sk-proj-abcdef0123456789\n",
        "VITE_API_URL=/api\nPORT=8080\n",
        "VITE_API_URL=\nREACT_APP_KEY=your_key_here\n",
        "COMPOSE_PROJECT_NAME=app\n",
    ] {
        assert_eq!(setting(body), None, "{body}");
    }
}

#[test]
fn a_key_its_name_calls_public_is_no_credential() {
    for line in [
        "VAPID_PUBLIC_KEY=BEl62iUYgUivxIkv69yViEuiBIa40HI0DLb0fUQ6R8c0",
        "STRIPE_PUBLISHABLE_KEY=pk_live_51H8kL2C0ffee0123456789abcdef",
        "SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        "SSH_PUB_KEY_PATH=/etc/ssh/id.pub",
    ] {
        assert_eq!(
            credential(&format!("{line}\n")),
            Some((false, false)),
            "{line}"
        );
    }
    // The framework's `PUBLIC_` says where it goes, not that the key may: it still counts.
    for line in [
        "NEXT_PUBLIC_OPENAI_KEY=sk-proj-abcdef0123456789",
        "PUBLIC_KEY_SECRET=Zx81kQ0c2dE9fA7bH3jK5mN1",
    ] {
        assert_eq!(
            credential(&format!("{line}\n")),
            Some((true, true)),
            "{line}"
        );
    }
}

#[test]
fn typed_words_are_no_issued_value() {
    let issued = |line: &str| credential(&format!("{line}\n")).map(|c| c.1);
    for line in [
        "POSTGRES_PASSWORD=mailagent_dev_password_2024",
        "DATABASE_URL=postgresql://app:mailagent_dev_password_2024@db:5432/app",
        "SECRET_KEY=change-me-in-production-2024",
    ] {
        assert_eq!(issued(line), Some(false), "{line}");
    }
    for line in [
        "API_KEY=123e4567-e89b-12d3-a456-426614174000",
        "DB_PASSWORD=npg_4kq9Zx2mWvR7tYb1pL",
        "JWT_SECRET=404E635266556A586E3272357538782F413F4428",
        "SESSION_SECRET=a3f9c2e71b5d48f0a6c2e9b17d34f8a2",
    ] {
        assert_eq!(issued(line), Some(true), "{line}");
    }
}

#[test]
fn a_quoted_value_over_several_lines_is_one_assignment() {
    let pem = "MODE=\"production\"\nVITE_APP_EXPORT_PUBLIC_KEY='MIIBIjANBgkqhkiG9w0BAQEFAAOC\n\
               /WvuKSOJxiw6AR/ZcE3eFQWM/mbFdhQgyK8eHGkKQifKzH1xUZj\nPQIDAQAB'\nDEBUG=false\n";
    assert_eq!(credential(pem), Some((false, false)));
    let lines = assignments(pem);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    // A quote never closed joins nothing: the key below it is still read.
    let broken = "TITLE=\"My app\nOPENAI_API_KEY=sk-proj-abcdef0123456789\n";
    assert_eq!(credential(broken), Some((true, true)));
}

#[test]
fn a_setting_about_a_credential_is_none() {
    for line in [
        "ACCESS_TOKEN_EXPIRE_MINUTES=30",
        "REFRESH_TOKEN_EXPIRY=604800000",
        "JWT_ALGORITHM=HS256",
        "DB_PASSWORD_FILE=/run/secrets/db",
        "MAX_TOKENS=4096",
        "KEY_SIZE=2048",
        "API_KEY_HEADER=X-API-Key",
        "AUTH_DOMAIN=app-1.firebaseapp.com",
        "AUTH_HOST=auth.example.com",
    ] {
        assert_eq!(credential(line), Some((false, false)), "{line}");
    }
    for line in [
        "DB_PASSWORD=123456",
        "JWT_SECRET=s3cr3t-value",
        "SECRET_KEY_BASE=abc",
    ] {
        assert_eq!(credential(line).map(|c| c.0), Some(true), "{line}");
    }
}

/// A Firebase web app's config, as its console hands it out and Vite apps commit it: the API
/// key in it is public by Firebase's design, so the file holds settings a build reads.
#[test]
fn a_firebase_web_config_holds_no_credential() {
    const KEY: &str = "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW";
    let config = format!(
        "# Firebase\nVITE_FIREBASE_API_KEY=\"{KEY}\"\nVITE_FIREBASE_AUTH_DOMAIN=\"app-1.firebaseapp.com\"\n\
         VITE_FIREBASE_PROJECT_ID=\"app-1\"\nVITE_FIREBASE_MESSAGING_SENDER_ID=\"622012345678\"\n\
         VITE_FIREBASE_APP_ID=\"1:622012345678:web:0a1b2c3d4e5f\"\n"
    );
    // Values the page is built with are no settings of a server's: the file sets nothing.
    assert_eq!(credential(&config), None);
    assert_eq!(
        build_setting(config.as_bytes()),
        Some("VITE_FIREBASE_API_KEY".into())
    );
    for prefix in ["NEXT_PUBLIC_", "REACT_APP_", "EXPO_PUBLIC_"] {
        let line = format!("{prefix}FIREBASE_API_KEY={KEY}\n");
        assert_eq!(credential(&line), None, "{line}");
    }
    // Not that name, not the page's, or not a Google key: a credential as before.
    for line in [
        format!("VITE_GOOGLE_MAPS_API_KEY={KEY}"),
        format!("FIREBASE_API_KEY={KEY}"),
        "VITE_FIREBASE_API_KEY=sk-proj-abcdef0123456789abcdef".to_string(),
        format!("VITE_FIREBASE_API_KEY={KEY}0"),
    ] {
        assert_eq!(
            credential(&format!("{line}\n")),
            Some((true, true)),
            "{line}"
        );
    }
}

/// A well-known default is what a template leaves for everyone to replace: a URL whose
/// password is its user's name, or `changethis`, `your-…`, `admin`; a typed password is not.
#[test]
fn well_known_defaults_are_told_from_typed_passwords() {
    let defaults = |body: &str| judge(body.as_bytes()).map(|j| j.defaults);
    for body in [
        "CELERY_BROKER_URL=amqp://guest:guest@rabbitmq3:5672/\nOLLAMA_MODEL=llama3\n",
        "SECRET_KEY=changethis\nPOSTGRES_PASSWORD=postgres\n",
        "DB_PASSWORD=CHANGE_THIS_PASSWORD\nAPI_KEY=\"your-api-key-here\"\n",
        "DATABASE_URL=postgres://postgres:postgres@db/app\n",
        "PORT=80\n",
    ] {
        assert_eq!(defaults(body), Some(true), "{body}");
    }
    for body in [
        "DATABASE_URL=postgres://app:hunter2@db/app\n",
        "SECRET_KEY=changethis\nDB_PASSWORD=Bella2019\n",
        "STRIPE_KEY=x\n",
    ] {
        assert_eq!(defaults(body), Some(false), "{body}");
    }
}
