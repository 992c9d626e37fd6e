import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { graphql } from '../__generated__';
import { ErrorBanner, UserErrors } from '../ui/States';
import { safeNext } from './access';
import { useSession } from './SessionContext';
import { usePageTitle } from '../ui/title';

const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken expiresAt refreshToken refreshTokenExpiresAt
      user { id name email }
      errors { code message field }
    }
  }
`);

const RegisterMutation = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      user { id name email }
      errors { code message field }
    }
  }
`);

export function LoginPage() {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [login, loginState] = useMutation(LoginMutation);
  const [register, registerState] = useMutation(RegisterMutation);
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  usePageTitle(mode === 'login' ? 'Sign in' : 'Create an account');

  const submit = async () => {
    if (mode === 'register') {
      const created = await register({ variables: { input: form } });
      if (!created.data?.register.user) return;
    }
    const result = await login({ variables: { input: { email: form.email, password: form.password } } });
    const payload = result.data?.login;
    if (payload?.accessToken && payload.user) {
      signIn({
        token: payload.accessToken,
        userId: payload.user.id,
        name: payload.user.name,
        expiresAt: payload.expiresAt ?? null,
        refreshToken: payload.refreshToken ?? null,
        refreshExpiresAt: payload.refreshTokenExpiresAt ?? null,
      });
      navigate(safeNext(params.get('next')), { replace: true });
    }
  };
  const field = (name: keyof typeof form, type = 'text') => (
    <label>
      {name[0].toUpperCase() + name.slice(1)}
      <input name={name} type={type} required value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );

  return (
    <section className="login">
      <h1>{mode === 'login' ? 'Sign in' : 'Create an account'}</h1>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        {mode === 'register' && field('name')}
        {field('email', 'email')}
        {field('password', 'password')}
        <button type="submit" disabled={loginState.loading || registerState.loading}>{mode === 'login' ? 'Sign in' : 'Register'}</button>
      </form>
      <UserErrors errors={registerState.data?.register.errors} />
      <UserErrors errors={loginState.data?.login.errors} />
      <ErrorBanner error={registerState.error ?? loginState.error} />
      <button className="link" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
        {mode === 'login' ? 'New here? Create an account' : 'Have an account? Sign in'}
      </button>
    </section>
  );
}
